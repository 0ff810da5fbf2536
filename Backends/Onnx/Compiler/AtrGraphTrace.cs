using AdaTapeDml.Backends.Onnx.Graph;

namespace AdaTapeDml.Backends.Onnx.Compiler;

/// <summary>The graph values of one unrolled ATR step, for a graph that exposes how it read (see <see cref="AtrGraphTrace"/>).</summary>
/// <param name="Indices">[B, k] int64: the k best unread entries, best first.</param>
/// <param name="Weights">[B, k]: their weights; 0 for a candidate that was not merged or a sample that had stopped.</param>
/// <param name="Merged">[B, k] float 0/1: whether the candidate was merged at this step.</param>
/// <param name="Taken">[B] float 0/1: whether the sample took this step.</param>
/// <param name="HaltingHi">[B]: the halting sum after the step, as the float pair hi + lo the graph carries, set to tau on
/// the halting step (as the reference reports it).</param>
/// <param name="HaltingLo">[B]: see <paramref name="HaltingHi"/>.</param>
public sealed record AtrGraphStep(string Indices, string Weights, string Merged, string Taken, string HaltingHi, string HaltingLo);

/// <summary>Collects, when passed to <see cref="AtrGraph.Emit"/>, every step's values and the per-sample ATR loss, so a
/// graph can output how it read (which entries, with what weights, the halting sums) and be checked against the Core
/// reference ATR (the tests do, for the graph ATR of the full graph). Inference graphs pass none and carry none of the
/// extra nodes; inference traces come from the host ATR.</summary>
public sealed class AtrGraphTrace
{
    public List<AtrGraphStep> Steps { get; } = [];

    /// <summary>[B]: the ATR loss, the sum over the steps taken of 1 - sum w^2 (entropy) or 1 - max w (max).</summary>
    public string Loss { get; internal set; } = "";

    /// <summary>Per-step values [B, ...] stacked on a new axis 1: [B, S, ...].</summary>
    public static string PerStep(OnnxGraphBuilder g, IEnumerable<string> steps) =>
        g.Concat(1, [.. steps.Select(s => g.Unsqueeze(s, 1))]);
}
