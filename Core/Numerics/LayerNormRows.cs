namespace AdaTapeDml.Core.Numerics;

/// <summary><see cref="LayerNormParams.Apply"/> split into its two halves, row statistics and the per-feature map, writing
/// into caller buffers: batched code normalises without allocating, and only the features it needs (keys first, values
/// of the rows it reads later). The arithmetic is Apply's, operation for operation, so results are bit-identical.</summary>
internal static class LayerNormRows
{
    /// <summary>Mean and 1 / sqrt(biased variance + eps) of <paramref name="x"/>, accumulated in double in feature order.</summary>
    public static (double Mean, double Inverse) Statistics(ReadOnlySpan<float> x)
    {
        double mean = 0;
        foreach (var v in x) mean += v;
        mean /= x.Length;
        double variance = 0;
        foreach (var v in x) variance += (v - mean) * (v - mean);
        variance /= x.Length;
        return (mean, 1.0 / Math.Sqrt(variance + LayerNormParams.Epsilon));
    }

    /// <summary>The first <c>y.Length</c> normalised features of <paramref name="x"/>, given its statistics.</summary>
    public static void Map(ReadOnlySpan<float> x, double mean, double inverse, float[] gamma, float[] beta, Span<float> y)
    {
        for (var i = 0; i < y.Length; i++) y[i] = (float)((x[i] - mean) * inverse * gamma[i] + beta[i]);
    }
}
