using AdaTapeDml.Core.Numerics;
using AdaTapeDml.Properties.Halting.Backends;
using static AdaTapeDml.Properties.Halting.Backends.ExactBanks;

namespace AdaTapeDml.Properties.Halting.KnifeEdges;

/// <summary>Exact score ties go to the lower bank index on every backend (the oracle's rule; ONNX TopK's too; TorchAtr's
/// stable sort). The scores are exactly equal by construction (<see cref="ExactBanks"/>: rows of +-512 normalise to +-1
/// exactly, so every product and sum is a small integer), which rules out kernels scoring identical rows an ulp apart:
/// what is left is the backend's tie rule itself. The generated properties leave near ties out (KnifeEdgeTally).</summary>
public sealed class Halting_ExactTies
{
    // Width 4, dk 4, identity norm, T = 4, m = 1, tau = 2 -> k = 2. Query ++-- scores rows: ++-- 4, +-+- 0, +--+ 0, --++ -4.
    private static readonly float[] PlusPlus = [Big, Big, -Big, -Big], PlusMinus = [Big, -Big, Big, -Big], PlusMinusMinusPlus = [Big, -Big, -Big, Big], MinusMinus = [-Big, -Big, Big, Big];

    /// <summary>Rows 1, 3, 5 identical (score 4), rows 2 and 4 different but both scoring 0.</summary>
    private static readonly float[][] Bank = [MinusMinus, PlusPlus, PlusMinus, PlusPlus, PlusMinusMinusPlus, PlusPlus];

    // Step 1: three identical rows tie at 4 -> the two lowest, [1, 3] (w = 1/2 each, q = ++--).
    // Step 2: row 5 (4), then rows 2 and 4 tie at 0 -> the lower, [5, 2]; h = 1/2 + sigmoid(2) = 1.38.
    // Step 3: q = 0.88 ++-- + 0.12 +-+- scores row 4 at 0 and row 0 at -3.52 -> [4, 0]; h = 2.23 >= 2: halts, tape 3.
    private static readonly int[][] Expected = [[1, 3], [5, 2], [4, 0]];

    // The same rows in reverse order (new index = 5 - old): identical rows at 0, 2, 4; rows scoring 0 at 1 and 3.
    // Step 1: [0, 2]. Step 2: row 4 (4), then 1 and 3 tie at 0 -> [4, 1]. Step 3: row 3 scores 0, row 5 -3.52 -> [3, 5].
    private static readonly int[][] ExpectedReversed = [[0, 2], [4, 1], [3, 5]];

    [Theory, EveryAtrBackend]
    public void Identical_rows_and_equal_scores_are_taken_lower_index_first(string backend) =>
        ReadsAsTheOracle(backend, Batch(Config(maxTape: 4, tau: 2.0, keyWidth: 4), LayerNormParams.Identity(4), [PlusPlus], Bank), Expected);

    [Theory, EveryAtrBackend]
    public void Ties_go_to_the_lower_index_in_each_samples_own_bank_of_a_batch(string backend) =>
        ReadsAsTheOracle(backend,
            Batch(Config(maxTape: 4, tau: 2.0, keyWidth: 4), LayerNormParams.Identity(4), [PlusPlus, PlusPlus], Bank, [.. Bank.Reverse()]),
            Expected, ExpectedReversed);

    [Theory, EveryAtrBackend]
    public void A_shared_bank_keeps_the_rule(string backend) =>
        ReadsAsTheOracle(backend,
            Batch(Config(maxTape: 4, tau: 2.0, keyWidth: 4), LayerNormParams.Identity(4), [PlusPlus, PlusPlus], Bank) with { SharedBank = true },
            Expected, Expected);

    /// <summary>Equal scores give equal weights, on every backend exactly (so a tie inside the k candidates moves no weight).</summary>
    [Theory, EveryAtrBackend]
    public void Tied_candidates_get_exactly_equal_weights(string backend)
    {
        var trace = HaltingBackends.Named(backend).Read(Batch(Config(maxTape: 4, tau: 2.0, keyWidth: 4), LayerNormParams.Identity(4), [PlusPlus], Bank))[0];
        Assert.Equal(trace.Weights[0][0], trace.Weights[0][1]);
        Assert.Equal(0.5f, trace.Weights[0][0]);
    }
}
