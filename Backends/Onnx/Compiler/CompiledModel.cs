using AdaTapeDml.Backends.Onnx.Proto;
using AdaTapeDml.Core.Specs;

namespace AdaTapeDml.Backends.Onnx.Compiler;

/// <summary>The ONNX graphs of one model: the full graph (padded over all tape slots) and, for AdaTape, the READ and
/// ENCODE stages.</summary>
/// <param name="Spec">The run spec compiled (with any compute knob applied).</param>
/// <param name="Full">input -> logits (+ lengths for AdaTape).</param>
/// <param name="Read">input -> hidden [B, n, D], tape [B, T, D], lengths [B] (AdaTape only).</param>
/// <param name="Encode">hidden, tape [B, tape_length, D], lengths -> logits (AdaTape only).</param>
/// <param name="Tokens">n, tokens entering the tape layer.</param>
/// <param name="MaxTape">T, tape slots (0 without a tape).</param>
/// <param name="ReadIsTraced">READ also outputs <see cref="StageNames.TraceIndices"/> and <see cref="StageNames.TraceWeights"/>.</param>
public sealed record CompiledModel(RunSpec Spec, ModelProto Full, ModelProto? Read, ModelProto? Encode, int Tokens, int MaxTape, bool ReadIsTraced = false)
{
    public bool IsElastic => Read is not null;

    /// <summary>Every emitted graph with its stage name.</summary>
    public IEnumerable<(string Stage, ModelProto Model)> Graphs()
    {
        yield return ("full", Full);
        if (Read is not null) yield return ("read", Read);
        if (Encode is not null) yield return ("encode", Encode);
    }
}
