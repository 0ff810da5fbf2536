using AdaTapeDml.Core.Atr;
using AdaTapeDml.Core.Specs;
using static AdaTapeDml.Properties.Core.AtrTestBank;

namespace AdaTapeDml.Properties.Core;

/// <summary>One sample read by <see cref="ReferenceAtr"/> on the bank of <see cref="AtrTestBank"/>, every number worked out
/// by hand. Config: T = 4, m = 1, tau = 2, so k = floor(4 / 2) = 2 candidates per step and at most S = 4 steps.
///
/// Step 1 (query key (sqrt 2, 0)): scores [0, 2, -2, 0, -sqrt 2]; top-2 = r1 (2), then r0 (0, tie with r3 -> lower index).
///   logits = [2, 0] / sqrt(dk = 2) = [sqrt 2, 0];  w = [sigmoid(sqrt 2), 1 - sigmoid(sqrt 2)] = [0.8044294, 0.1955706]
///   d = w0 = 0.8044294;  h = 0.8044294;  entropy loss 1 - (w0² + w1²) = 2 w0 w1 = 0.3146455;  max loss 1 - w0 = 0.1955706
///   merged = w0 V1 + w1 V0 = sqrt 2 · [w0, w1, -w0, -w1] = [1.1376338, 0.2765783, -1.1376338, -0.2765783]
///   complex query: q = (q + merged[:2]) / 2 = (sqrt 2 (1 + w0) / 2, sqrt 2 w1 / 2) = (1.2759235, 0.1382892)
/// Step 2: unread r2, r3, r4; scores r2 = -sqrt 2 · 1.2759235 = -1.80443, r3 = -sqrt 2 · 0.1382892 = -0.1955702,
///   r4 = (-1, 1) · q = -1.1376338;  top-2 = [r3, r4];  logits = [-0.1382892, -0.8044286];
///   w = [sigmoid(0.6661394), ...] = [0.6606382, 0.3393618];  d = 0.6606382;  h = 1.4650676
///   entropy loss = 2 · 0.6606382 · 0.3393618 = 0.4483907;  max loss = 0.3393618
/// Step 3: only r2 is unread: w = [1], d = 1 exactly, h = 1.4650676 + 1 = 2.465 >= tau -> clamped to 2, halted.
///   loss 0;  tape token = V2 = [-sqrt 2, 0, sqrt 2, 0].
/// Totals: 3 steps, 3 tape tokens, R = 0.3146455 + 0.4483907 + 0 = 0.7630362 (entropy), 0.5349324 (max).</summary>
public sealed class ReferenceAtr_HandComputed
{
    private static AtrSampleResult ReadMain(ActLossType loss = ActLossType.Entropy, bool complexQuery = true) =>
        ReferenceAtr.Read(Query(), Bank(), Norm, Config(lossType: loss, complexQuery: complexQuery));

    [Fact]
    public void Scores_are_K_times_q_over_the_normalised_bank()
    {
        var bank = NormalizedBank.From(Bank(), Norm);
        var query = Norm.Apply(Query())[..KeyWidth];

        // 2 cos(angle): [0, 2, -2, 0, -sqrt 2]
        Near([0, 2, -2, 0, -Math.Sqrt(2)], ReferenceAtr.Scores(query, bank), "scores");
    }

    [Fact]
    public void First_step_takes_the_top_k_best_first_and_breaks_ties_to_the_lower_index()
    {
        var r = ReadMain();

        // r1 (score 2) first; r0 and r3 tie at 0 and r0 has the lower index.
        Assert.Equal([1, 0], r.Steps[0].Indices);
        Assert.Equal([3, 4], r.Steps[1].Indices);
        Assert.Equal([2], r.Steps[2].Indices);
    }

    [Fact]
    public void Weights_are_the_softmax_of_the_scores_scaled_by_one_over_sqrt_dk()
    {
        var r = ReadMain();

        // softmax([2, 0] / sqrt 2) = [sigmoid(sqrt 2), 1 - sigmoid(sqrt 2)]; without the scale it would be [0.8808, 0.1192].
        var sigmoid = 1 / (1 + Math.Exp(-Math.Sqrt(2)));
        Near([sigmoid, 1 - sigmoid], r.Steps[0].Weights, "step 1 weights");
        Near([0.8044294, 0.1955706], r.Steps[0].Weights, "step 1 weights");
        Near([0.6606382, 0.3393618], r.Steps[1].Weights, "step 2 weights");
        Assert.Equal([1f], r.Steps[2].Weights);
    }

    [Fact]
    public void Increment_is_the_first_weight_and_exactly_one_when_a_step_merges_at_most_m_entries()
    {
        var r = ReadMain();

        Near(0.8044294, r.Steps[0].Increment, "d1 = w0");
        Near(0.6606382, r.Steps[1].Increment, "d2 = w0");
        Assert.Equal(1f, r.Steps[2].Increment); // one candidate left, m = 1: exactly 1, not 0.99999994
    }

    [Fact]
    public void Halting_sum_accumulates_and_is_clamped_to_exactly_tau_on_the_halting_step()
    {
        var r = ReadMain();

        Near(0.8044294, r.Steps[0].HaltingSumAfter, "h after step 1");
        Near(0.8044294 + 0.6606382, r.Steps[1].HaltingSumAfter, "h after step 2");
        Assert.Equal(2f, r.Steps[2].HaltingSumAfter); // 1.4650676 + 1 = 2.465 -> clamped
        Assert.Equal(2f, r.HaltingSum);
        Assert.Equal(AtrStopReason.Halted, r.StopReason);
    }

    [Fact]
    public void Step_count_and_tape_length_count_the_halting_step()
    {
        var r = ReadMain();

        Assert.Equal(3, r.StepCount);
        Assert.Equal(3, r.TapeLength);
    }

    [Fact]
    public void Entropy_loss_is_one_minus_the_sum_of_squared_weights()
    {
        var r = ReadMain(ActLossType.Entropy);

        Near(2 * 0.8044294 * 0.1955706, r.Steps[0].Loss, "l1 = 1 - (w0² + w1²) = 2 w0 w1");
        Near(0.4483907, r.Steps[1].Loss, "l2");
        Assert.Equal(0f, r.Steps[2].Loss);   // one weight of 1
        Near(0.7630362, r.Loss, "R");
    }

    [Fact]
    public void Max_loss_is_one_minus_the_largest_weight()
    {
        var r = ReadMain(ActLossType.Max);

        Near(0.1955706, r.Steps[0].Loss, "l1 = 1 - w0");
        Near(0.3393618, r.Steps[1].Loss, "l2 = 1 - w0");
        Assert.Equal(0f, r.Steps[2].Loss);
        Near(0.5349324, r.Loss, "R");
        Assert.Equal(3, r.StepCount); // the loss type does not change the reading
    }

    [Fact]
    public void Tape_tokens_are_the_weighted_sums_of_the_merged_values()
    {
        var r = ReadMain();

        Near([1.1376338, 0.2765783, -1.1376338, -0.2765783], r.TapeTokens[0], "tape 1 = sqrt 2 [w0, w1, -w0, -w1]");
        Near([-0.3393616, -0.5949209, 0.3393616, 0.5949209], r.TapeTokens[1], "tape 2 = w0 V3 + w1 V4");
        Near([-Sqrt2Normalized, 0, Sqrt2Normalized, 0], r.TapeTokens[2], "tape 3 = V2");
    }

    [Fact]
    public void Complex_query_is_the_mean_of_the_query_and_the_merged_token()
    {
        var (bank, config) = (NormalizedBank.From(Bank(), Norm), Config(complexQuery: true));
        var start = ReferenceAtr.Start(Norm.Apply(Query()), bank.Size, config);

        var after = ReferenceAtr.Step(start, bank, config);

        Near([Sqrt2Normalized, 0], start.Query, "q0 = LN(q)[:2]");
        // ((sqrt 2 + 1.1376338) / 2, (0 + 0.2765783) / 2)
        Near([1.2759235, 0.1382892], after.Query, "q1 = (q0 + merged[:2]) / 2");
    }

    [Fact]
    public void Simple_query_is_the_merged_token_cut_to_the_key_width()
    {
        var (bank, config) = (NormalizedBank.From(Bank(), Norm), Config(complexQuery: false));
        var start = ReferenceAtr.Start(Norm.Apply(Query()), bank.Size, config);

        var after = ReferenceAtr.Step(start, bank, config);

        Near([1.1376338, 0.2765783], after.Query, "q1 = merged[:2]");
    }

    [Fact]
    public void Simple_query_changes_the_second_step_weights()
    {
        var r = ReadMain(complexQuery: false);

        // q1 = (1.1376338, 0.2765783): scores r3 = -sqrt 2 · 0.2765783 = -0.3911404, r4 = -1.1376338 + 0.2765783 = -0.8610551
        // logits / sqrt 2 = [-0.2765783, -0.6088560] -> w = [sigmoid(0.3322777), ...] = [0.5823140, 0.4176860]
        Assert.Equal([3, 4], r.Steps[1].Indices);
        Near([0.5823140, 0.4176860], r.Steps[1].Weights, "step 2 weights");
        Near(0.8010943, r.Loss, "R = 0.3146455 + 2 · 0.5823140 · 0.4176860");
        Assert.Equal(3, r.StepCount);
        Assert.Equal(2f, r.HaltingSum);
    }

    [Fact]
    public void A_halted_state_is_returned_unchanged()
    {
        var (bank, config) = (NormalizedBank.From(Bank(), Norm), Config());
        var state = ReferenceAtr.Start(Norm.Apply(Query()), bank.Size, config);
        for (var t = 0; t < 3; t++) state = ReferenceAtr.Step(state, bank, config);
        Assert.Equal(AtrStopReason.Halted, state.StopReason);

        Assert.Same(state, ReferenceAtr.Step(state, bank, config));
    }

    [Fact]
    public void Integer_tau_with_single_candidate_steps_takes_exactly_tau_steps()
    {
        // T = 3, tau = 3 -> k = 1: every step merges one entry, d = 1 exactly, so h = 1, 2, 3 and the sample halts at step 3.
        var r = ReferenceAtr.Read(Query(), Bank(), Norm, Config(numTapeTokens: 3, actEpsilon: 3.0));

        Assert.Equal([1f, 2f, 3f], r.Steps.Select(s => s.HaltingSumAfter));
        Assert.Equal([[1], [0], [4]], r.Steps.Select(s => s.Indices));
        // step 2: r0 and r3 tie at 0 -> r0; q becomes (sqrt 2, sqrt 2) / 2, so step 3 scores r4 at ~0 and r2, r3 at -1.
        Assert.Equal(AtrStopReason.Halted, r.StopReason);
        Assert.All(r.Steps, s => Assert.Equal(0f, s.Loss));
    }
}
