using AdaTapeDml.Core.Atr;

namespace AdaTapeDml.Properties.Halting.Backends;

/// <summary>One sample's ATR as any backend reports it, in the reference's terms.</summary>
/// <param name="Indices">Per step taken: the bank entries merged, best first.</param>
/// <param name="Weights">Per step taken: their weights, same order.</param>
/// <param name="TapeTokens">Steps * m tape tokens of width D, in reading order.</param>
/// <param name="HaltingSum">The final halting sum h.</param>
/// <param name="Loss">The ATR loss R.</param>
/// <param name="HaltingSums">Per step: h after the step, when the backend exposes it (the reference does); else null.</param>
public sealed record AtrTrace(int[][] Indices, float[][] Weights, float[][] TapeTokens, double HaltingSum, float Loss, double[]? HaltingSums)
{
    public int StepCount => Indices.Length;

    /// <summary>The trace with every index replaced by the lowest index of a row of <paramref name="bank"/> that is identical
    /// after the shared LayerNorm. Which of two such entries a step takes first cannot be seen in the tape (same weight,
    /// same vector), and float kernels may score them an ulp apart (ONNX Runtime's MatMul does for identical rows of
    /// inexact values; see Halting_ExactTies for exact ones), so comparisons between implementations are made on
    /// canonical traces.</summary>
    public AtrTrace Canonical(NormalizedBank bank)
    {
        var rows = bank.Rows;
        var lowest = rows.Select(row => Array.FindIndex(rows, other => other.SequenceEqual(row))).ToArray();
        return this with { Indices = Indices.Select(step => step.Select(i => lowest[i]).ToArray()).ToArray() };
    }

    public static AtrTrace From(AtrSampleResult r) => new(
        r.Steps.Select(s => s.Indices).ToArray(), r.Steps.Select(s => s.Weights).ToArray(), r.TapeTokens,
        r.HaltingSum, r.Loss, r.Steps.Select(s => s.HaltingSumAfter).ToArray());
}
