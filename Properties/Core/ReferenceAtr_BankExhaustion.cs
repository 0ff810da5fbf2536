using AdaTapeDml.Core.Atr;
using static AdaTapeDml.Properties.Core.AtrTestBank;

namespace AdaTapeDml.Properties.Core;

/// <summary>A bank too small for the sample to halt: reading stops once every entry is read, never re-reading one.</summary>
public sealed class ReferenceAtr_BankExhaustion
{
    [Fact]
    public void A_small_bank_is_read_once_entirely_then_the_sample_stops()
    {
        // Bank [r0, r1, r3] (indices 0, 1, 2); T = 6, tau = 3 -> k = 2, S = 6.
        // Step 1: r1 (score 2), then r0 and r3 tie at 0 -> r0: w = [sigmoid(sqrt 2), ...] = [0.8044294, 0.1955706], h = 0.8044294.
        // Step 2: only index 2 (r3) is left: w = [1], d = 1, h = 1.8044294 < 3.
        // Step 3: nothing unread -> BankExhausted after 2 steps.
        var r = ReferenceAtr.Read(Query(), [R0, R1, R3], Norm, Config(numTapeTokens: 6, actEpsilon: 3.0));

        Assert.Equal(AtrStopReason.BankExhausted, r.StopReason);
        Assert.Equal([[1, 0], [2]], r.Steps.Select(s => s.Indices));
        Assert.Equal([0, 1, 2], r.Steps.SelectMany(s => s.Indices).Order());   // every entry exactly once
        Near(0.8044294 + 1, r.HaltingSum, "h");
        Assert.True(r.HaltingSum < 3f);
        Assert.Equal(2, r.TapeLength);
    }

    [Fact]
    public void A_bank_of_exactly_k_entries_is_used_up_by_the_first_step()
    {
        // Bank [r1, r2]; k = 2: step 1 merges both (w = softmax(2, -2) / sqrt 2 = [sigmoid(2 sqrt 2), ...]), h < tau = 2.
        var r = ReferenceAtr.Read(Query(), [R1, R2], Norm, Config());

        Assert.Equal(AtrStopReason.BankExhausted, r.StopReason);
        Assert.Equal(1, r.StepCount);
        Assert.Equal([0, 1], r.Steps[0].Indices);
        Near(1 / (1 + Math.Exp(-2 * Math.Sqrt(2))), r.HaltingSum, "h = sigmoid(2 sqrt 2) = 0.944");
    }

    [Fact]
    public void Halting_on_the_step_that_reads_the_last_entry_is_a_halt_not_an_exhaustion()
    {
        // The hand-computed main case: steps read [r1, r0], [r3, r4], [r2]; h = 0.804 + 0.661 + 1 >= 2 on the last entry.
        var r = ReferenceAtr.Read(Query(), Bank(), Norm, Config());

        Assert.Equal(AtrStopReason.Halted, r.StopReason);
        Assert.Equal([0, 1, 2, 3, 4], r.Steps.SelectMany(s => s.Indices).Order());
    }

    [Fact]
    public void Reading_all_five_entries_below_tau_exhausts_the_bank_after_three_steps()
    {
        // Same reading as the main case, but tau = 3 (T = 6 keeps k = 2): h = 0.8044294 + 0.6606382 + 1 = 2.4650676 < 3.
        var r = ReferenceAtr.Read(Query(), Bank(), Norm, Config(numTapeTokens: 6, actEpsilon: 3.0));

        Assert.Equal(AtrStopReason.BankExhausted, r.StopReason);
        Assert.Equal(3, r.StepCount);
        Assert.Equal([0, 1, 2, 3, 4], r.Steps.SelectMany(s => s.Indices).Order());
        Near(2.4650676, r.HaltingSum, "h");
    }

    [Fact]
    public void An_empty_bank_is_exhausted_before_the_first_step()
    {
        var r = ReferenceAtr.Read(Query(), [], Norm, Config());

        Assert.Equal(AtrStopReason.BankExhausted, r.StopReason);
        Assert.Equal(0, r.StepCount);
        Assert.Empty(r.TapeTokens);
    }
}
