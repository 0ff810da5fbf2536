namespace AdaTapeDml.Properties.Halting.Backends;

/// <summary>Comparison of two traces of the same sample: indices exactly, numbers within a tolerance.</summary>
public static class TraceAssert
{
    public static void Equal(AtrTrace expected, AtrTrace actual, double tolerance, string what)
    {
        Assert.True(expected.StepCount == actual.StepCount, $"{what}: {actual.StepCount} steps, expected {expected.StepCount}");
        for (var t = 0; t < expected.StepCount; t++)
        {
            Assert.True(expected.Indices[t].SequenceEqual(actual.Indices[t]),
                $"{what}, step {t}: indices [{string.Join(",", actual.Indices[t])}], expected [{string.Join(",", expected.Indices[t])}]");
            Near(expected.Weights[t], actual.Weights[t], tolerance, $"{what}, step {t} weights");
        }
        Assert.True(expected.TapeTokens.Length == actual.TapeTokens.Length, $"{what}: tape length {actual.TapeTokens.Length}, expected {expected.TapeTokens.Length}");
        for (var slot = 0; slot < expected.TapeTokens.Length; slot++) Near(expected.TapeTokens[slot], actual.TapeTokens[slot], tolerance, $"{what}, tape slot {slot}");
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
