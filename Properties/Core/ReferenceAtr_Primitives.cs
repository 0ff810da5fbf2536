using AdaTapeDml.Core.Atr;
using AdaTapeDml.Core.Specs;
using static AdaTapeDml.Properties.Core.AtrTestBank;

namespace AdaTapeDml.Properties.Core;

/// <summary>The building blocks of one ATR step on numbers small enough to check by eye.</summary>
public sealed class ReferenceAtr_Primitives
{
    [Fact]
    public void Top_unread_orders_by_score_and_breaks_ties_to_the_lower_index()
    {
        float[] scores = [1, 3, 3, 0, 3];
        var none = new bool[5];

        Assert.Equal([1, 2], ReferenceAtr.TopUnread(scores, none, 2));            // three 3s: indices 1, 2, 4
        Assert.Equal([1, 2, 4], ReferenceAtr.TopUnread(scores, none, 3));
        Assert.Equal([1, 2, 4, 0, 3], ReferenceAtr.TopUnread(scores, none, 9));   // k above the bank size: every entry once
    }

    [Fact]
    public void Top_unread_skips_entries_already_read()
    {
        float[] scores = [1, 3, 3, 0, 3];

        Assert.Equal([4, 0], ReferenceAtr.TopUnread(scores, [false, true, true, false, false], 2));
        Assert.Empty(ReferenceAtr.TopUnread(scores, [true, true, true, true, true], 2));
    }

    [Fact]
    public void Softmax_matches_closed_forms_and_is_stable_for_large_logits()
    {
        Near([0.25, 0.75], ReferenceAtr.Softmax([0, Math.Log(3)]), "softmax(0, ln 3) = (1, 3) / 4");
        Near([0.5, 0.5], ReferenceAtr.Softmax([1000, 1000]), "softmax(1000, 1000)");          // exp(1000) would overflow
        Near([1.0 / 3, 1.0 / 3, 1.0 / 3], ReferenceAtr.Softmax([-5, -5, -5]), "uniform");
    }

    [Fact]
    public void Step_loss_entropy_and_max()
    {
        float[] w = [0.75f, 0.25f];

        Assert.Equal(0.375f, ReferenceAtr.StepLoss(w, ActLossType.Entropy));   // 1 - (0.5625 + 0.0625)
        Assert.Equal(0.25f, ReferenceAtr.StepLoss(w, ActLossType.Max));        // 1 - 0.75
        Assert.Equal(0f, ReferenceAtr.StepLoss([1f], ActLossType.Entropy));
        Assert.Equal(0f, ReferenceAtr.StepLoss([1f], ActLossType.Max));
    }

    [Fact]
    public void Increment_sums_the_first_m_weights()
    {
        float[] w = [0.5f, 0.3f, 0.2f];

        Near(0.5, ReferenceAtr.Increment(w, 1), "d, m = 1");
        Near(0.8, ReferenceAtr.Increment(w, 2), "d, m = 2: 0.5 + 0.3");
    }

    [Fact]
    public void Increment_is_exactly_one_when_the_step_merged_at_most_m_entries()
    {
        // These float weights sum to 0.99999991 (as a float, 0.9999999), yet d must be exactly 1 so that an integer tau
        // takes no extra step.
        float[] w = [0.5f, 0.4999999f];
        Assert.True((float)(0.5 + (double)0.4999999f) < 1f);

        Assert.Equal(1f, ReferenceAtr.Increment(w, 2));
        Assert.Equal(1f, ReferenceAtr.Increment(w, 3));
        Assert.Equal(1f, ReferenceAtr.Increment([1f], 1));
        Assert.Equal(0.5f, ReferenceAtr.Increment(w, 1));
    }

    [Fact]
    public void Merge_tokens_split_candidates_by_rank_mod_m_and_add_up_to_the_merged_token()
    {
        // One-hot rows make the weighted sums visible: row r is e_r.
        var bank = new NormalizedBank([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
        int[] idx = [2, 0, 1];          // ranks 0, 1, 2
        float[] w = [0.5f, 0.3f, 0.2f];

        var tokens = ReferenceAtr.MergeTokens(idx, w, bank, 2);

        // rank 0 (e2, 0.5) and rank 2 (e1, 0.2) -> token 0; rank 1 (e0, 0.3) -> token 1.
        Near([0.0, 0.2, 0.5], tokens[0], "token 0 = 0.5 e2 + 0.2 e1");
        Near([0.3, 0.0, 0.0], tokens[1], "token 1 = 0.3 e0");
        Near([0.3, 0.2, 0.5], ReferenceAtr.Merge(idx, w, bank), "merged = sum of all");
    }

    [Fact]
    public void Merge_tokens_without_a_candidate_are_zero()
    {
        var bank = new NormalizedBank([[1, 2], [3, 4]]);

        var tokens = ReferenceAtr.MergeTokens([1], [1f], bank, 3);

        Assert.Equal(3, tokens.Length);
        Assert.Equal([3f, 4f], tokens[0]);
        Assert.Equal([0f, 0f], tokens[1]);
        Assert.Equal([0f, 0f], tokens[2]);
    }
}
