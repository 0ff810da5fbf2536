using AdaTapeDml.Core.Atr;
using AdaTapeDml.Core.Numerics;
using AdaTapeDml.Core.Specs;

namespace AdaTapeDml.Properties.Halting.Backends;

/// <summary>Hand-built ATR inputs whose scores every backend computes exactly, so ties are exact ties and softmax weights
/// exact fractions. A row of +-512 with as many signs of each kind has mean 0 and variance 512^2, so its LayerNorm is
/// exactly +-1 in float (eps = 1e-6 vanishes next to 2^18) and rounds to +-1 from the oracle's double; times a power-of-two
/// gamma, products and sums of keys and queries are small integers, exact in any order and on any kernel. Levels: +1 is
/// [512, -512, ...], -1 its negation, 0 a constant row (its LayerNorm is beta = 0).</summary>
public static class ExactBanks
{
    public const float Big = 512f;

    /// <summary>A row of <paramref name="width"/> (1 or even) at <paramref name="level"/> (+1, 0, -1).</summary>
    public static float[] Row(int level, int width) =>
        Enumerable.Range(0, width).Select(j => level * Big * (width == 1 || j % 2 == 0 ? 1 : -1)).ToArray();

    /// <summary>Runs of rows in bank order: (count, level).</summary>
    public static float[][] Bank(int width, params (int Count, int Level)[] runs) =>
        [.. runs.SelectMany(run => Enumerable.Range(0, run.Count).Select(_ => Row(run.Level, width)))];

    /// <summary>A LayerNorm of scale <paramref name="gamma"/> and shift 0: level-+-1 rows normalise to +-gamma.</summary>
    public static LayerNormParams Scaled(int width, float gamma) => new(Enumerable.Repeat(gamma, width).ToArray(), new float[width]);

    /// <summary>m = 1 and q = tape (not the running mean), so the query stays on a level.</summary>
    public static AtrConfig Config(int maxTape, double tau, int keyWidth, int tokensPerStep = 1) =>
        new(maxTape, tokensPerStep, tau, ActLossType.Entropy, ComplexQuery: false, keyWidth);

    /// <summary>Evaluation batch: one bank per sample.</summary>
    public static AtrBatch Batch(AtrConfig config, LayerNormParams norm, float[][] queries, params float[][][] banks) =>
        new(config, norm, queries, banks, SharedBank: false, Training: null);

    /// <summary>The oracle reads <paramref name="expectedIndices"/> for each sample, and the backend reads exactly the same
    /// entries (not canonically: the lower index of a tie first), the same tape length, and tokens within its tolerance.</summary>
    public static void ReadsAsTheOracle(string backend, AtrBatch batch, params int[][][] expectedIndices)
    {
        var atr = HaltingBackends.Named(backend);
        var (expected, actual) = (new ReferenceAtrImplementation().Read(batch), atr.Read(batch));
        for (var b = 0; b < batch.Count; b++)
        {
            Assert.True(expectedIndices[b].Length == expected[b].StepCount && expectedIndices[b].Zip(expected[b].Indices).All(p => p.First.SequenceEqual(p.Second)),
                $"sample {b}: the oracle read {Show(expected[b].Indices)}, the test expects {Show(expectedIndices[b])}");
            TraceAssert.Equal(expected[b], actual[b], atr.Tolerance, $"{backend}, sample {b}");
        }
    }

    private static string Show(int[][] steps) => string.Join(" ", steps.Select(s => $"[{string.Join(",", s)}]"));
}
