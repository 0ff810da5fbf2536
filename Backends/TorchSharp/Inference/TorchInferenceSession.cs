using AdaTapeDml.Backends.TorchSharp.Models;
using AdaTapeDml.Backends.TorchSharp.Training;
using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Specs;
using static TorchSharp.torch;

namespace AdaTapeDml.Backends.TorchSharp.Inference;

/// <summary>Inference with TorchSharp on one device: padded execution and the READ / ENCODE split of AdaTape. Inputs go to
/// the model's device; results come back to the CPU as arrays.</summary>
public sealed class TorchInferenceSession : IInferenceSession
{
    private readonly LoadedModel loaded;
    private readonly long[] inputShape;
    private readonly Core.Atr.AtrConfig? atr;
    private readonly bool traceReads;

    /// <param name="weightsPath">A weights or checkpoint file.</param>
    /// <param name="tape">The inference-time compute knob; null reads as trained.</param>
    /// <param name="device">Where the model runs (null: cpu).</param>
    /// <param name="halting">The compute knob of UT and A-ViT (threshold, gate centre); null runs as trained.</param>
    /// <param name="traceReads">READ also reports each step's bank indices and weights (<see cref="TapeReadBatch.Trace"/>).</param>
    public TorchInferenceSession(string weightsPath, TapeOverride? tape = null, ComputeDevice? device = null, HaltingOverride? halting = null, bool traceReads = false)
    {
        this.traceReads = traceReads;
        loaded = TorchModels.Load(weightsPath, device: device, inference: halting is null ? null : halting.ApplyOrThrow);
        inputShape = InputShapes.Of(loaded.Spec.Task);
        Spec = loaded.Spec;
        if (tape is null) return;
        try { Spec = tape.ApplyOrThrow(loaded.Spec); }
        catch
        {
            loaded.Dispose();
            throw;
        }
        var adaTape = (AdaTapeModelSpec)Spec.Model;
        atr = Core.Atr.AtrConfig.From(adaTape.Tape, adaTape.Encoder.Width);
    }

    /// <summary>The spec in effect (with the compute knob applied).</summary>
    public RunSpec Spec { get; }
    public string Backend => "torch";
    public bool IsElastic => loaded.Model is AdaTapeModel;

    public RunOutput Run(float[] inputs, int count)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var output = loaded.Model is AdaTapeModel adaTape
            ? adaTape.Forward(Input(inputs, count), atr, allSlots: true)                          // padded: all T slots, masked
            : loaded.Model.forward(Input(inputs, count));
        return new RunOutput(Floats(output.Logits), output.Compute());
    }

    public TapeReadBatch Read(float[] inputs, int count)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var model = Elastic();
        var read = model.Read(Input(inputs, count), atr);
        var maxTape = (atr ?? model.Atr).NumTapeTokens;
        var tape = nn.functional.pad(read.Tape, [0, 0, 0, maxTape - read.Tape.shape[1]]);        // [B, T, D]
        return new TapeReadBatch(count, (int)read.Hidden.shape[1], (int)read.Hidden.shape[2], maxTape,
            Floats(read.Hidden), Floats(tape), read.Lengths.cpu().data<long>().Select(l => (int)l).ToArray(),
            traceReads ? Trace(read.Atr, count) : null);
    }

    /// <summary>Per sample, the indices and weights of the steps it took ([B, S, k] logs, -1 where nothing was merged).</summary>
    private static TapeReadStep[][] Trace(Atr.TorchAtrOutput atr, int count)
    {
        var (steps, k) = ((int)atr.Indices.shape[1], (int)atr.Indices.shape[2]);
        return TapeReadStep.FromPadded(count, steps, k, atr.Indices.cpu().contiguous().data<long>().ToArray(),
            Floats(atr.Weights), atr.Steps.cpu().data<long>().Select(n => (int)n).ToArray());
    }

    public float[] Encode(float[] hidden, float[] tape, int[] lengths, int tapeLength)
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

    private Tensor Input(float[] inputs, int count)
    {
        var problem = InputShapes.Problem(Spec.Task, inputs, count);
        if (problem is not null) throw new ArgumentException(problem, nameof(inputs));
        return tensor(inputs, [count, .. inputShape], device: loaded.Model.Device);
    }

    /// <summary>A tensor's values as a CPU array, whatever its device.</summary>
    private static float[] Floats(Tensor t) => t.cpu().contiguous().data<float>().ToArray();

    private AdaTapeModel Elastic() => loaded.Model as AdaTapeModel
        ?? throw new InvalidOperationException($"{Spec.Model.GetType().Name} has no tape: READ/ENCODE exist for AdaTape models only");

    public void Dispose() => loaded.Dispose();
}
