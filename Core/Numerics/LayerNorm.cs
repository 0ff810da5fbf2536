using System.Diagnostics.Contracts;

namespace AdaTapeDml.Core.Numerics;

/// <summary>Parameters of a LayerNorm over the last dimension.</summary>
/// <param name="Gamma">Scale, one per feature.</param>
/// <param name="Beta">Shift, one per feature.</param>
public sealed record LayerNormParams(float[] Gamma, float[] Beta)
{
    /// <summary>Flax's LayerNorm epsilon (the reference); every backend uses the same value.</summary>
    public const double Epsilon = 1e-6;

    /// <summary>The identity-initialised norm (gamma 1, beta 0) of width <paramref name="width"/>.</summary>
    [Pure]
    public static LayerNormParams Identity(int width) => new(Enumerable.Repeat(1f, width).ToArray(), new float[width]);

    /// <summary>Normalises <paramref name="x"/> (biased variance, as torch and flax do); accumulates in double.</summary>
    [Pure]
    public float[] Apply(ReadOnlySpan<float> x)
    {
        if (x.Length != Gamma.Length)
            throw new ArgumentException($"LayerNorm expects {Gamma.Length} features, got {x.Length}.", nameof(x));
        var (mean, inv) = LayerNormRows.Statistics(x);
        var y = new float[x.Length];
        for (var i = 0; i < x.Length; i++) y[i] = (float)((x[i] - mean) * inv * Gamma[i] + Beta[i]);
        return y;
    }
}
