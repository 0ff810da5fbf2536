using AdaTapeDml.Backends.TorchSharp.Interop;
using AdaTapeDml.Backends.TorchSharp.Models;
using AdaTapeDml.Backends.TorchSharp.Training;
using AdaTapeDml.Core.Atr;
using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Layout;
using AdaTapeDml.Core.Numerics;
using AdaTapeDml.Core.Specs;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace AdaTapeDml.Backends.TorchSharp.Inference;

/// <summary>Inference with TorchSharp on one device: padded execution and the READ / ENCODE split of AdaTape. Inputs go to
/// the model's device; results come back to the CPU as arrays. Every native call runs on <see cref="TorchThread"/>,
/// whichever thread calls the session.</summary>
public sealed class TorchInferenceSession : IInferenceSession
{
    private readonly LoadedModel loaded;
    private readonly long[] inputShape;
    private readonly AtrConfig? atr;
    private readonly bool traceReads;
    private readonly ModelLayout layout;
    private readonly LayerNormParams bankNorm = LayerNormParams.Identity(1);
    private readonly ReusedArrays<float> tapes = new(4);     // a few batches in flight at most
    private readonly float[]? hostBank;                    // a shared bank's rows or a lookup bank's table, for the host ATR

    /// <param name="weightsPath">A weights or checkpoint file.</param>
    /// <param name="tape">The inference-time compute knob; null reads as trained.</param>
    /// <param name="device">Where the model runs (null: cpu).</param>
    /// <param name="halting">The compute knob of UT and A-ViT (threshold, gate centre); null runs as trained.</param>
    /// <param name="traceReads">READ also reports each step's bank indices and weights (<see cref="TapeReadBatch.Trace"/>).</param>
    public TorchInferenceSession(string weightsPath, TapeOverride? tape = null, ComputeDevice? device = null, HaltingOverride? halting = null, bool traceReads = false)
    {
        this.traceReads = traceReads;
        (loaded, var hostAtr) = TorchThread.Run(() =>
        {
            var model = TorchModels.Load(weightsPath, device: device, inference: halting is null ? null : halting.ApplyOrThrow);
            try { return (model, model.Model is AdaTapeModel adaTape ? (adaTape.BankNorm(), adaTape.HostBankRows()) : default((LayerNormParams, float[]?)?)); }
            catch
            {
                model.Dispose();                                                                   // the caller never gets it
                throw;
            }
        });
        if (hostAtr is { } host) (bankNorm, hostBank) = host;
        inputShape = InputShapes.Of(loaded.Spec.Task);
        Spec = loaded.Spec;
        layout = ModelLayout.Of(Spec.Model, Spec.Task);
        if (tape is null) return;
        try { Spec = tape.ApplyOrThrow(loaded.Spec); }
        catch
        {
            Dispose();
            throw;
        }
        var adaTape = (AdaTapeModelSpec)Spec.Model;
        atr = AtrConfig.From(adaTape.Tape, adaTape.Encoder.Width);
    }

    /// <summary>The spec in effect (with the compute knob applied).</summary>
    public RunSpec Spec { get; }
    public string Backend => "torch";
    public bool IsElastic => loaded.Model is AdaTapeModel;

    public RunOutput Run(float[] inputs, int count) => TorchThread.Run(() => RunHere(inputs, count));

    private RunOutput RunHere(float[] inputs, int count)
    {
        if (loaded.Model is AdaTapeModel)
        {
            // Padded: every sample over all T slots, unread ones masked, from the same host ATR as READ.
            using var read = ReadHere(inputs, count);
            return new RunOutput(EncodeOver(read, read.MaxTape), new TapeCompute(read.Lengths));
        }
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var output = loaded.Model.forward(Input(inputs, count));
        return new RunOutput(Floats(output.Logits), output.Compute());
    }

    /// <summary>READ: the model up to the query and bank, then the ATR on the host (<see cref="BatchAtr"/>, the Core
    /// oracle's arithmetic): no chain of tiny tensor operations, and the loop ends when the batch's last sample halts.
    /// The hidden states stay a tensor (<see cref="TapeReadBatch.Native"/>) for this session's ENCODE.</summary>
    public TapeReadBatch Read(float[] inputs, int count) => TorchThread.Run(() => ReadHere(inputs, count));

    private TapeReadBatch ReadHere(float[] inputs, int count)
    {
        var model = Elastic();
        Tensor hidden;
        BatchAtrResult read;
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            var input = Input(inputs, count);
            Tensor x, query;
            Tensor? bank = null;
            if (layout.Bank == BankForm.PerSample) (x, query, bank) = model.ReadInputs(input);
            else (x, query) = model.ReadQuery(input);                                              // the host has the bank
            using var queries = Rented(query);
            using var banks = bank is null ? default : Rented(bank);
            var config = atr ?? model.Atr;
            read = BatchAtr.Read(queries.Memory, count, AtrBank.Of(layout, hostBank, banks.Memory, inputs, count), bankNorm,
                config, traceReads, tapes.Rent(count * config.NumTapeTokens * Spec.Model.Encoder.Width));
            hidden = x.MoveToOuterDisposeScope();
        }
        var native = new NativeHidden(this, hidden, read.Tape);
        return new TapeReadBatch(count, layout.Tokens, Spec.Model.Encoder.Width, read.MaxTape, () => TorchThread.Run(() => Floats(hidden)), native,
            read.Tape, read.Lengths, read.Trace);
    }

    public float[] Encode(float[] hidden, float[] tape, int[] lengths, int tapeLength) =>
        TorchThread.Run(() => EncodeHere(hidden, tape, lengths, tapeLength));

    private float[] EncodeHere(float[] hidden, float[] tape, int[] lengths, int tapeLength)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var (count, width) = (lengths.Length, Spec.Model.Encoder.Width);
        if (lengths.Any(l => l < 0 || l > tapeLength))
            throw new ArgumentException($"tape lengths must lie in 0..{tapeLength}", nameof(lengths));
        var device = loaded.Model.Device;
        var h = tensor(hidden, [count, hidden.Length / (count * width), width], device: device);   // [G, n, D]
        var t = tensor(tape, [count, tapeLength, width], device: device);                          // [G, L, D]
        return Floats(Elastic().Encode(h, t, tensor(lengths.Select(l => (long)l).ToArray(), device: device)));
    }

    /// <summary>Runs <paramref name="calls"/> on <see cref="TorchThread"/>, where this session's calls then run inline: a
    /// micro-batch changes threads once, not once per READ and ENCODE call.</summary>
    public T RunTogether<T>(Func<T> calls) => TorchThread.Run(calls);

    public float[] EncodeBatch(TapeReadBatch read, EncodeMode mode) => TorchThread.Run(() => mode switch
    {
        EncodeMode.Packed => EncodePacked(read),
        _ => EncodeOver(read, layout.PacksExactly ? read.Lengths.Max() : read.MaxTape),   // the reference pooling averages every slot
    });

    private float[] EncodePacked(TapeReadBatch read)
    {
        var model = Elastic();
        if (!layout.PacksExactly) throw new InvalidOperationException("the reference pooling averages masked slots too: packed ENCODE would change the result");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var device = loaded.Model.Device;
        var width = Spec.Model.Encoder.Width;
        var packed = PackedLayout.From(read.Lengths, layout.Tokens, read.MaxTape, Spec.Model.Encoder.Classifier == Classifier.Token);
        var tape = tensor(packed.PackTape(read.Tape, width), [packed.TapeRows, width], device: device);
        return Floats(model.EncodePacked(HiddenOf(read), tape, PackedTokens.From(packed, device)));
    }

    /// <summary>Padded ENCODE of a whole READ over its first <paramref name="slots"/> tape slots.</summary>
    private float[] EncodeOver(TapeReadBatch read, int slots)
    {
        var model = Elastic();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var device = loaded.Model.Device;
        var width = Spec.Model.Encoder.Width;
        var tape = tensor(read.Tape, [read.Count, read.MaxTape, width], device: device)[.., ..slots];   // [B, L, D]
        return Floats(model.Encode(HiddenOf(read), tape, tensor(read.Lengths.Select(l => (long)l).ToArray(), device: device)));
    }

    /// <summary>A READ's hidden states as a tensor on the model's device: its own tensor when this session made it.</summary>
    private Tensor HiddenOf(TapeReadBatch read) => read.Native is NativeHidden own && own.Owner == this
        ? own.Hidden
        : tensor(read.Hidden, [read.Count, layout.Tokens, Spec.Model.Encoder.Width], device: loaded.Model.Device);

    /// <summary>The hidden states of a READ, kept as a tensor for the session that made them; disposing it also gives the
    /// batch's tape array back to the session for a later READ.</summary>
    private sealed class NativeHidden(TorchInferenceSession owner, Tensor hidden, float[] tape) : IDisposable
    {
        private int disposed;
        public TorchInferenceSession Owner => owner;
        public Tensor Hidden => hidden;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 1) return;
            hidden.Dispose();
            owner.tapes.Return(tape);
        }
    }

    private Tensor Input(float[] inputs, int count)
    {
        var problem = InputShapes.Problem(Spec.Task, inputs, count);
        if (problem is not null) throw new ArgumentException(problem, nameof(inputs));
        return tensor(inputs, [count, .. inputShape], device: loaded.Model.Device);
    }

    /// <summary>A tensor's values as a CPU array, whatever its device. Copied through the tensor's bytes: the element
    /// accessor's ToArray took 30 ms for READ's 2 M bank values at batch 1024, the bytes 6 ms.</summary>
    private static float[] Floats(Tensor t) => Values(t).ToArray();

    /// <summary>A tensor's values in a pooled array, for data that lives only as long as the call.</summary>
    private static RentedFloats Rented(Tensor t) => new(Values(t));

    /// <summary>A tensor's values in place, on the CPU (valid while the enclosing dispose scope lives).</summary>
    private static ReadOnlySpan<float> Values(Tensor t) => MemoryMarshal.Cast<byte, float>(t.cpu().contiguous().bytes);

    private AdaTapeModel Elastic() => loaded.Model as AdaTapeModel
        ?? throw new InvalidOperationException($"{Spec.Model.GetType().Name} has no tape: READ/ENCODE exist for AdaTape models only");

    public void Dispose() => TorchThread.Run(loaded.Dispose);
}
