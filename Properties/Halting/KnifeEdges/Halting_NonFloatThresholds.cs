using AdaTapeDml.Properties.Halting.Backends;
using static AdaTapeDml.Properties.Halting.Backends.ExactBanks;

namespace AdaTapeDml.Properties.Halting.KnifeEdges;

/// <summary>A threshold that is not a float value (2.1, 0.3, 1.7) is compared as the oracle compares it, h + d &gt;= tau in
/// double, on every backend, also when h lands within a float ulp of tau. Weights are exact by construction: width 2,
/// dk = 1, gamma = 11 puts rows on three levels scoring 121 q, 0 and -121 q (<see cref="ExactBanks"/>), so a step whose
/// top j candidates share the highest level gives each of them fl(1/j) and the rest 0 (exp(-121) underflows in float and
/// rounds to 0 from double). With m = 1, d = fl(1/j). Every fl(1/j) for j &lt;= 24 lies just above 1/j, so h lands just
/// above 2.1, 0.3 and 1.7 (by 3e-8, 7.5e-10 and 3e-9); a tau a hair above that h (not a float either) must take one step more.
/// A float32 halting sum compared with (float)tau decides some of these differently (see AtrGraph's TwoSum).</summary>
public sealed class Halting_NonFloatThresholds
{
    private const int Width = 2, KeyWidth = 1;
    private const float Gamma = 11f;
    private static readonly float[] Query = Row(1, Width);

    /// <summary>T = 23 -> k = 10 for both taus; 230 rows on the top level: every step takes 10 (d = fl(0.1)), so h after
    /// n steps is n fl(0.1) = n * 0.100000001490116. 21 steps give 2.1000000313 &gt;= 2.1; 2.10000004 needs a 22nd.</summary>
    [Theory, EveryAtrBackend]
    public void Tau_2_1_is_reached_by_21_tenths_and_2_10000004_needs_22(string backend)
    {
        var bank = Bank(Width, (230, 1));
        Reads(backend, 2.1, 23, bank, Tenths(21));
        Reads(backend, 2.10000004, 23, bank, Tenths(22));
    }

    /// <summary>T = 7 -> k = 23 for both taus. Bank: 20 top, 7 middle, 40 bottom rows. Step 1: the 20 top rows and 3
    /// middle ones (weight 0): d = fl(1/20). Step 2 (q still on top): the 4 middle rows left and 19 bottom ones: d = 1/4,
    /// h = 0.30000000075 &gt;= 0.3: halts. For tau = 0.3000000008 step 3 reads 21 bottom rows (they tie; d = fl(1/21)).</summary>
    [Theory, EveryAtrBackend]
    public void Tau_0_3_is_reached_by_a_twentieth_and_a_quarter_and_0_3000000008_needs_one_more_step(string backend)
    {
        var bank = Bank(Width, (20, 1), (7, 0), (40, -1));
        int[][] two = [[.. Range(0, 20), .. Range(20, 3)], [.. Range(23, 4), .. Range(27, 19)]];
        Reads(backend, 0.3, 7, bank, two);
        Reads(backend, 0.3000000008, 7, bank, [.. two, Range(46, 21)]);
    }

    /// <summary>T = 9 -> k = 5 for both taus. Bank: 1 top, 6 middle, 13 bottom rows. Step 1: the top row and 4 middle
    /// ones: d = 1. Step 2: the 2 middle rows left and 3 bottom ones: d = 1/2. Step 3: only bottom rows are left and tie:
    /// 5 of them, d = fl(1/5); h = 1.70000000298 &gt;= 1.7 halts; tau = 1.700000004 needs step 4.</summary>
    [Theory, EveryAtrBackend]
    public void Tau_1_7_is_reached_by_one_a_half_and_a_fifth_and_1_700000004_needs_one_more_step(string backend)
    {
        var bank = Bank(Width, (1, 1), (6, 0), (13, -1));
        int[][] three = [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9], [10, 11, 12, 13, 14]];
        Reads(backend, 1.7, 9, bank, three);
        Reads(backend, 1.700000004, 9, bank, [.. three, [15, 16, 17, 18, 19]]);
    }

    private static void Reads(string backend, double tau, int maxTape, float[][] bank, int[][] expected)
    {
        var config = Config(maxTape, tau, KeyWidth);
        Assert.True(config.Candidates == expected[0].Length, $"tau {tau}: k = {config.Candidates}, the reading assumes {expected[0].Length}");
        ReadsAsTheOracle(backend, Batch(config, Scaled(Width, Gamma), [Query], bank), expected);
    }

    private static int[][] Tenths(int steps) => [.. Enumerable.Range(0, steps).Select(s => Range(10 * s, 10))];

    private static int[] Range(int start, int count) => [.. Enumerable.Range(start, count)];
}
