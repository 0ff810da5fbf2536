using AdaTapeDml.Core.Atr;
using AdaTapeDml.Core.Numerics;
using AdaTapeDml.Core.Specs;

namespace AdaTapeDml.Properties.Core;

/// <summary>A tiny bank whose LayerNorm is easy to reason about, shared by the hand-computed ATR tests.
///
/// Every row has the form [a, b, -a, -b]: mean 0, biased variance (a² + b²) / 2, so the identity LayerNorm maps it to
/// sqrt(2) · [u1, u2, -u1, -u2] with u = (a, b) / |(a, b)| (up to the 1e-6 epsilon, a relative change of ~1e-6).
/// With width 4 and splitTt 2 the key width is dk = 2, so every key is sqrt(2) · u and every score is
/// K q = 2 cos(angle between the row's and the query's direction); the softmax logit is score / sqrt(2).
///
///   row  direction   score against the query direction (1, 0)
///   r0   ( 0,  1)     0
///   r1   ( 1,  0)     2        (the best)
///   r2   (-1,  0)    -2        (the worst)
///   r3   ( 0, -1)     0        (ties with r0: the tie goes to the lower index, r0)
///   r4   (-1,  1)    -sqrt 2   (direction (-1, 1)/sqrt 2, cos = -1/sqrt 2)
///
/// Expected numbers were computed with an independent double-precision script (LayerNorm epsilon included) and
/// agree with the closed forms in the comments to ~1e-6.</summary>
internal static class AtrTestBank
{
    public const int Width = 4;
    public const int KeyWidth = 2;
    public const float Tolerance = 1e-5f;

    public static readonly float[] R0 = [0, 1, 0, -1];
    public static readonly float[] R1 = [1, 0, -1, 0];
    public static readonly float[] R2 = [-1, 0, 1, 0];
    public static readonly float[] R3 = [0, -1, 0, 1];
    public static readonly float[] R4 = [-1, 1, 1, -1];

    /// <summary>The five-row bank r0..r4.</summary>
    public static float[][] Bank() => [R0, R1, R2, R3, R4];

    /// <summary>Query with direction (1, 0): LayerNorm gives [sqrt 2, 0, -sqrt 2, 0], key (sqrt 2, 0).</summary>
    public static float[] Query() => [2, 0, -2, 0];

    public static LayerNormParams Norm => LayerNormParams.Identity(Width);

    public static AtrConfig Config(int numTapeTokens = 4, int tokensPerStep = 1, double actEpsilon = 2.0,
        ActLossType lossType = ActLossType.Entropy, bool complexQuery = true) =>
        new(numTapeTokens, tokensPerStep, actEpsilon, lossType, complexQuery, KeyWidth);

    /// <summary>sqrt(2) after the LayerNorm of a row with variance 1/2: 1 / sqrt(1/2 + 1e-6).</summary>
    public const float Sqrt2Normalized = 1.4142121f;

    public static void Near(double expected, double actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= Tolerance, $"{what}: expected {expected:R}, got {actual:R}");

    public static void Near(double[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++) Near(expected[i], actual[i], $"{what}[{i}]");
    }
}
