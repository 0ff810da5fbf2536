using AdaTapeDml.Core.Atr;

namespace AdaTapeDml.Properties.Halting.Backends;

/// <summary>Comparison of two traces of the same sample: indices exactly, numbers within a tolerance.</summary>
public static class TraceAssert
{
    /// <summary>Two traces read over <paramref name="bank"/>, on canonical indices (<see cref="AtrTrace.Canonical"/>). A tape
    /// value is a weighted sum of bank values with weights summing to at most 1, so its rounding grows with the largest bank
    /// magnitude, not with the sum: tape tolerances scale by it (a random-seed run found ONNX tape values of 1.418 differing
    /// by 1.5e-6 between batch shapes, over a bank with values near 3).</summary>
    public static void Equal(NormalizedBank bank, AtrTrace expected, AtrTrace actual, double tolerance, string what) =>
        Equal(expected.Canonical(bank), actual.Canonical(bank), tolerance, what,
            tapeScale: Math.Max(1, bank.Rows.Max(row => row.Length == 0 ? 0 : row.Max(Math.Abs))));

    public static void Equal(AtrTrace expected, AtrTrace actual, double tolerance, string what, double tapeScale = 1)
    {
        Assert.True(expected.StepCount == actual.StepCount, $"{what}: {actual.StepCount} steps, expected {expected.StepCount}");
        for (var t = 0; t < expected.StepCount; t++)
        {
            Assert.True(expected.Indices[t].SequenceEqual(actual.Indices[t]),
                $"{what}, step {t}: indices [{string.Join(",", actual.Indices[t])}], expected [{string.Join(",", expected.Indices[t])}]");
            Near(expected.Weights[t], actual.Weights[t], tolerance, $"{what}, step {t} weights");
        }
        Assert.True(expected.TapeTokens.Length == actual.TapeTokens.Length, $"{what}: tape length {actual.TapeTokens.Length}, expected {expected.TapeTokens.Length}");
        for (var slot = 0; slot < expected.TapeTokens.Length; slot++) Near(expected.TapeTokens[slot], actual.TapeTokens[slot], tolerance * tapeScale, $"{what}, tape slot {slot}");
        Near(expected.HaltingSum, actual.HaltingSum, tolerance, $"{what}: halting sum");
        Near(expected.Loss, actual.Loss, tolerance, $"{what}: ATR loss");
    }

    /// <summary>Every sample of <paramref name="batch"/> that is not a knife edge (counted in <paramref name="tally"/>) is
    /// read by <paramref name="atr"/> as the oracle reads it, on canonical indices.</summary>
    public static void ReadsAsTheReference(IAtrImplementation atr, AtrBatch batch, KnifeEdgeTally tally, string what)
    {
        var expected = new ReferenceAtrImplementation().Read(batch);
        var actual = atr.Read(batch);
        for (var b = 0; b < batch.Count; b++)
        {
            if (!tally.Compares(!atr.RoundsAsTheOracle && AtrInputs.IsKnifeEdge(batch, b))) continue;
            var bank = batch.NormalizedBankOf(b);
            Equal(expected[b].Canonical(bank), actual[b].Canonical(bank), atr.Tolerance, $"{what}sample {b}");
        }
    }

    public static void Near(float[] expected, float[] actual, double tolerance, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: {actual.Length} values, expected {expected.Length}");
        for (var i = 0; i < expected.Length; i++) Near(expected[i], actual[i], tolerance, $"{what}[{i}]");
    }

    /// <summary>Within <paramref name="tolerance"/>, scaled by the magnitude above 1: float rounding grows with the value
    /// (ADATAPE_PROPERTY_SEED=random found ONNX tape values near 1.36 differing by 1.07e-6 between batch shapes, 9 ulps).</summary>
    public static void Near(double expected, double actual, double tolerance, string what) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance * Math.Max(1, Math.Abs(expected)),
            $"{what}: {actual:R}, expected {expected:R} (tolerance {tolerance}, relative above 1)");
}
