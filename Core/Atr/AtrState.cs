namespace AdaTapeDml.Core.Atr;

/// <summary>The carried state of one sample's ATR loop (the scan carry of the reference code).</summary>
/// <param name="Query">Current query, dk features.</param>
/// <param name="HaltingSum">h: sum of the per-step increments so far.</param>
/// <param name="Loss">R: sum of the per-step ATR losses so far.</param>
/// <param name="Read">Entries already merged (or hidden): the score mask.</param>
/// <param name="StopReason">Running until the sample halts or the bank runs out.</param>
/// <param name="Steps">Records of the steps taken.</param>
/// <param name="TapeTokens">Tape tokens emitted so far.</param>
public sealed record AtrState(
    float[] Query,
    double HaltingSum,
    float Loss,
    bool[] Read,
    AtrStopReason StopReason,
    IReadOnlyList<AtrStepRecord> Steps,
    IReadOnlyList<float[]> TapeTokens)
{
    public bool IsRunning => StopReason == AtrStopReason.Running;
}
