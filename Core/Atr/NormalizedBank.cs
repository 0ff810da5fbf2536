using System.Diagnostics.Contracts;
using AdaTapeDml.Core.Numerics;

namespace AdaTapeDml.Core.Atr;

/// <summary>A sample's bank after the shared LayerNorm: row i is both value V[i] and, in its first dk features, key K[i].</summary>
public sealed record NormalizedBank(float[][] Rows)
{
    public int Size => Rows.Length;

    [Pure]
    public static NormalizedBank From(IReadOnlyList<float[]> bank, LayerNormParams norm) =>
        new(bank.Select(row => norm.Apply(row)).ToArray());
}
