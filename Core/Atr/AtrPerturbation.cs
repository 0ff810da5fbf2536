using System.Diagnostics.Contracts;

namespace AdaTapeDml.Core.Atr;

/// <summary>Training-time randomness of one sample's ATR, drawn up front so the loop itself stays deterministic:
/// Gaussian noise added to the query (before the LayerNorm) and bank entries hidden from the sample.</summary>
/// <param name="QueryNoise">Already scaled noise, one value per model feature (queryNoise * N(0, 1)).</param>
/// <param name="Hidden">True for each bank entry the sample may not read.</param>
public sealed record AtrPerturbation(float[] QueryNoise, bool[] Hidden)
{
    /// <summary>Draws a sample's perturbation from an explicit seed: the same seed gives the same noise and mask.</summary>
    [Pure]
    public static AtrPerturbation Draw(int seed, int width, int bankSize, double queryNoise, double bankMaskP)
    {
        var random = new Random(seed);
        var noise = new float[width];
        if (queryNoise > 0)
            for (var i = 0; i < width; i++) noise[i] = (float)(queryNoise * StandardNormal(random));
        var hidden = new bool[bankSize];
        if (bankMaskP > 0)
            for (var i = 0; i < bankSize; i++) hidden[i] = random.NextDouble() < bankMaskP;
        return new AtrPerturbation(noise, hidden);
    }

    /// <summary>Box-Muller transform of two uniform draws.</summary>
    private static double StandardNormal(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
