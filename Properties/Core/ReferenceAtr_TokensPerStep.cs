using AdaTapeDml.Core.Atr;
using static AdaTapeDml.Properties.Core.AtrTestBank;

namespace AdaTapeDml.Properties.Core;

/// <summary>m = 2 tape tokens per step. Config T = 4, m = 2, tau = 1: k = floor(4 / 1) = 4 candidates, S = 2 steps.
///
/// Step 1: top-4 = r1 (2), r0 (0), r3 (0), r4 (-sqrt 2) -> logits / sqrt 2 = [sqrt 2, 0, 0, -1];
///   exp = [4.1133, 1, 1, 0.3679], sum 6.4812 -> w = [0.6346498, 0.1542943, 0.1542943, 0.0567617]
///   d = w0 + w1 = 0.7889440 (below tau = 1)
///   token 0 = ranks 0 and 2 = w0 V1 + w2 V3 = sqrt 2 [w0, -w2, -w0, w2] = [0.8975294, -0.2182048, -0.8975294, 0.2182048]
///   token 1 = ranks 1 and 3 = w1 V0 + w3 V4 = [-w3, sqrt 2 w1 + w3, w3, -(sqrt 2 w1 + w3)]
///           = [-0.0567617, 0.2749665, 0.0567617, -0.2749665]   (V4 = LN([-1, 1, 1, -1]) ~ [-1, 1, 1, -1])
///   token 0 + token 1 = merged = [0.8407677, 0.0567617, -0.8407677, -0.0567617]
/// Step 2: only r2 is left: one candidate <= m, so d = 1 exactly; h = 1.789 -> clamped to 1, halted.
///   token 0 = V2, token 1 = 0 (no candidate of rank 1).</summary>
public sealed class ReferenceAtr_TokensPerStep
{
    private static AtrSampleResult ReadM2() => ReferenceAtr.Read(Query(), Bank(), Norm, Config(numTapeTokens: 4, tokensPerStep: 2, actEpsilon: 1.0));

    [Fact]
    public void Each_step_emits_m_tokens()
    {
        var r = ReadM2();

        Assert.Equal(2, r.StepCount);
        Assert.Equal(4, r.TapeLength);
        Assert.Equal([[1, 0, 3, 4], [2]], r.Steps.Select(s => s.Indices));
        Assert.Equal(AtrStopReason.Halted, r.StopReason);
        Assert.Equal(1f, r.HaltingSum);
    }

    [Fact]
    public void Increment_is_the_sum_of_the_first_m_weights()
    {
        var r = ReadM2();

        Near([0.6346498, 0.1542943, 0.1542943, 0.0567617], r.Steps[0].Weights, "step 1 weights");
        Near(0.6346498 + 0.1542943, r.Steps[0].Increment, "d = w0 + w1");
        Assert.Equal(1f, r.Steps[1].Increment);
        Near(0.5463843, r.Steps[0].Loss, "1 - sum w²");
    }

    [Fact]
    public void Tokens_are_split_by_rank_mod_m()
    {
        var r = ReadM2();

        Near([0.8975294, -0.2182048, -0.8975294, 0.2182048], r.TapeTokens[0], "token 0 = w0 V1 + w2 V3");
        Near([-0.0567617, 0.2749665, 0.0567617, -0.2749665], r.TapeTokens[1], "token 1 = w1 V0 + w3 V4");
        Near([-Sqrt2Normalized, 0, Sqrt2Normalized, 0], r.TapeTokens[2], "step 2 token 0 = V2");
        Assert.Equal([0f, 0f, 0f, 0f], r.TapeTokens[3]);
    }

    [Fact]
    public void The_m_tokens_of_a_step_sum_to_the_merged_token()
    {
        var r = ReadM2();
        var bank = NormalizedBank.From(Bank(), Norm);
        var merged = ReferenceAtr.Merge(r.Steps[0].Indices, r.Steps[0].Weights, bank);

        Near([0.8407677, 0.0567617, -0.8407677, -0.0567617], merged, "merged");
        for (var j = 0; j < Width; j++)
            Assert.Equal(merged[j], r.TapeTokens[0][j] + r.TapeTokens[1][j], 1e-6f);
    }

    [Fact]
    public void The_query_is_updated_with_the_merged_token_of_all_k_candidates()
    {
        var bank = NormalizedBank.From(Bank(), Norm);
        var config = Config(numTapeTokens: 4, tokensPerStep: 2, actEpsilon: 1.0);

        var after = ReferenceAtr.Step(ReferenceAtr.Start(Norm.Apply(Query()), bank.Size, config), bank, config);

        // ((sqrt 2 + 0.8407677) / 2, (0 + 0.0567617) / 2)
        Near([1.1274905, 0.0283808], after.Query, "q1");
    }
}
