using AdaTapeDml.Backends.Onnx.Proto;
using AdaTapeDml.Core.Layout;
using AdaTapeDml.Core.Numerics;
using AdaTapeDml.Core.Specs;

namespace AdaTapeDml.Backends.Onnx.Compiler;

/// <summary>The ONNX graphs of one model: the full graph (padded over all tape slots) and, for AdaTape, the READ and
/// ENCODE stages.</summary>
/// <param name="Spec">The run spec compiled (with any compute knob applied).</param>
/// <param name="Full">input -> logits (+ lengths for AdaTape).</param>
/// <param name="Read">input -> hidden [B, n, D], query [B, D] and, for a bank built from each input, bank [B, N, D], the last two
/// before the shared LayerNorm: what the host ATR reads from (AdaTape only).</param>
/// <param name="Encode">hidden, tape [B, tape_length, D], lengths -> logits, padded (AdaTape only).</param>
/// <param name="EncodePacked">hidden, tape [tape_rows, D] and the packed layout -> logits (AdaTape only).</param>
/// <param name="Layout">The model's token layout and stages.</param>
/// <param name="BankNorm">The LayerNorm shared by query and bank, for the host ATR (AdaTape only).</param>
/// <param name="HostBank">Before the norm, for the host ATR: a learned bank's [N, D] entries or a lookup bank's [3, D]
/// table (<see cref="BankForm"/>); null when READ outputs the bank.</param>
public sealed record CompiledModel(RunSpec Spec, ModelProto Full, ModelProto? Read, ModelProto? Encode, ModelProto? EncodePacked, ModelLayout Layout,
    LayerNormParams? BankNorm = null, float[]? HostBank = null)
{
    /// <summary>n, tokens entering the tape layer.</summary>
    public int Tokens => Layout.Tokens;

    /// <summary>T, tape slots (0 without a tape).</summary>
    public int MaxTape => Layout.MaxTape;

    public bool IsElastic => Read is not null;

    /// <summary>Every emitted graph with its stage name.</summary>
    public IEnumerable<(string Stage, ModelProto Model)> Graphs()
    {
        yield return ("full", Full);
        if (Read is not null) yield return ("read", Read);
        if (Encode is not null) yield return ("encode", Encode);
        if (EncodePacked is not null) yield return ("encode-packed", EncodePacked);
    }
}
