namespace AdaTapeDml.Core.Atr;

/// <summary>The outcome of Adaptive Tape Reading for one sample.</summary>
/// <param name="Steps">One record per step taken.</param>
/// <param name="TapeTokens">Steps.Count * m merged tape tokens of width D, in reading order (before the tape MLP).</param>
/// <param name="HaltingSum">Final halting sum h; equals tau exactly when <see cref="StopReason"/> is Halted.</param>
/// <param name="StopReason">Why reading ended.</param>
/// <param name="Loss">The sample's ATR loss R: the sum of the per-step losses.</param>
public sealed record AtrSampleResult(IReadOnlyList<AtrStepRecord> Steps, float[][] TapeTokens, double HaltingSum, AtrStopReason StopReason, float Loss)
{
    /// <summary>n, the number of steps taken.</summary>
    public int StepCount => Steps.Count;

    /// <summary>The tape length n * m.</summary>
    public int TapeLength => TapeTokens.Length;
}
