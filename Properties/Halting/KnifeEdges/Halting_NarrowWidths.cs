using AdaTapeDml.Properties.Halting.Backends;
using static AdaTapeDml.Properties.Halting.Backends.ExactBanks;

namespace AdaTapeDml.Properties.Halting.KnifeEdges;

/// <summary>Models of width 1 and 2 read as the oracle does on every backend. Their LayerNorm leaves little of a row: at
/// width 1 every row normalises to beta, so every score ties; at width 2 every row lies on the line beta +- s gamma, so
/// rows of different inputs tie exactly or within rounding. The generated properties meet them rarely (AtrInputs makes
/// width 2 rare; KnifeEdgeTally counts what is left out), so they are pinned here with known readings.</summary>
public sealed class Halting_NarrowWidths
{
    /// <summary>D = 1, beta = 0.5: every score is 0.25. T = 4, m = 1, tau = 2 -> k = 2. Steps [0, 1] and [2, 3] weigh
    /// 1/2 each (h = 1/2, 1); step 3 has one entry left, merges it alone (d = 1, h = 2 >= tau): halts, tape 3.</summary>
    [Theory, EveryAtrBackend]
    public void Width_one_every_row_ties_and_is_read_in_bank_order(string backend) =>
        ReadsAsTheOracle(backend,
            Batch(Config(maxTape: 4, tau: 2.0, keyWidth: 1), new([1f], [0.5f]), [[3f], [-1f]], [[3f], [-1f], [7f], [0f], [2f]], [[0f], [5f], [-5f], [1f], [1f]]),
            [[0, 1], [2, 3], [4]], [[0, 1], [2, 3], [4]]);

    /// <summary>D = 2 with dk = 1 (splitTt 2) and dk = 2 (splitTt 1), T = 4, m = 2, tau = 2 -> k = 2, S = 2. Rows
    /// -+, +-, constant, +-, -+ normalise to -1 1, 1 -1, 0 0, 1 -1, -1 1; the query +- scores them -1, 1, 0, 1, -1 (times
    /// dk). Step 1: the identical rows 1 and 3 ([1, 3]; at most m merged, so d = 1). Step 2 (q = 1 -1 again): row 2 (0),
    /// then rows 0 and 4 tie -> [2, 0]; h = 2: halts, tape 4.</summary>
    [Theory, EveryAtrBackend]
    public void Width_two_ties_between_different_inputs_go_to_the_lower_index(string backend)
    {
        float[][] bank = [[-Big, Big], [Big, -Big], [3f, 3f], [Big / 2, -Big / 2], [-Big, Big]];
        foreach (var keyWidth in new[] { 1, 2 })
            ReadsAsTheOracle(backend, Batch(Config(maxTape: 4, tau: 2.0, keyWidth: keyWidth, tokensPerStep: 2), Scaled(2, 1f), [[Big, -Big]], bank),
                [[1, 3], [2, 0]]);
    }
}
