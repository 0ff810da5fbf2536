using AdaTapeDml.Backends.TorchSharp.Models;
using AdaTapeDml.Backends.TorchSharp.Training;
using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Specs;
using static TorchSharp.torch;

namespace AdaTapeDml.Backends.TorchSharp.Inference;

/// <summary>Inference with TorchSharp on the CPU: padded execution and the READ / ENCODE split of AdaTape.</summary>
public sealed class TorchInferenceSession : IInferenceSession
{
    private readonly LoadedModel loaded;
    private readonly long[] inputShape;
    private readonly Core.Atr.AtrConfig? atr;

    /// <param name="weightsPath">A weights or checkpoint file.</param>
    /// <param name="tape">The inference-time compute knob; null reads as trained.</param>
    public TorchInferenceSession(string weightsPath, TapeOverride? tape = null)
    {
        loaded = TorchModels.Load(weightsPath);
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

    public (float[] Logits, int[] Lengths) Run(float[] inputs, int count)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var output = loaded.Model is AdaTapeModel adaTape
            ? adaTape.Forward(Input(inputs, count), atr, allSlots: true)                          // padded: all T slots, masked
            : loaded.Model.forward(Input(inputs, count));
        var lengths = output.TapeLengths is null ? new int[count] : output.TapeLengths.data<long>().Select(l => (int)l).ToArray();
        return (output.Logits.contiguous().data<float>().ToArray(), lengths);
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
            read.Hidden.contiguous().data<float>().ToArray(), tape.contiguous().data<float>().ToArray(),
            read.Lengths.data<long>().Select(l => (int)l).ToArray());
    }

    public float[] Encode(float[] hidden, float[] tape, int[] lengths, int tapeLength)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var (count, width) = (lengths.Length, Spec.Model.Encoder.Width);
        if (lengths.Any(l => l < 0 || l > tapeLength))
            throw new ArgumentException($"tape lengths must lie in 0..{tapeLength}", nameof(lengths));
        var h = tensor(hidden, [count, hidden.Length / (count * width), width]);                   // [G, n, D]
        var t = tensor(tape, [count, tapeLength, width]);                                          // [G, L, D]
        return Elastic().Encode(h, t, tensor(lengths.Select(l => (long)l).ToArray())).contiguous().data<float>().ToArray();
    }

    private Tensor Input(float[] inputs, int count)
    {
        var problem = InputShapes.Problem(Spec.Task, inputs, count);
        if (problem is not null) throw new ArgumentException(problem, nameof(inputs));
        return tensor(inputs, [count, .. inputShape]);
    }

    private AdaTapeModel Elastic() => loaded.Model as AdaTapeModel
        ?? throw new InvalidOperationException($"{Spec.Model.GetType().Name} has no tape: READ/ENCODE exist for AdaTape models only");

    public void Dispose() => loaded.Dispose();
}
