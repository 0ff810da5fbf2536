using AdaTapeDml.Core.Atr;
using FsCheck.Xunit;

namespace AdaTapeDml.Properties.Core;

/// <summary>Invariants of <see cref="ReferenceAtr.Read"/> over random queries, banks, norms, perturbations and configs
/// (see <see cref="AtrCases"/>).</summary>
[Properties(Arbitrary = [typeof(AtrCases)], MaxTest = 200)]
public sealed class ReferenceAtr_Bounds
{
    [Property]
    public void Steps_lie_between_ceil_tau_and_S_unless_the_bank_runs_out(AtrCase c)
    {
        var r = c.Read();

        Assert.InRange(r.StepCount, 0, c.Config.MaxSteps);
        Assert.Equal(r.StepCount * c.Config.TokensPerStep, r.TapeLength);
        if (r.StopReason == AtrStopReason.BankExhausted)
            Assert.Equal(c.Readable, r.Steps.Sum(s => s.Indices.Length));   // it stops only once every readable entry is read
        else
            Assert.InRange(r.StepCount, (int)Math.Ceiling(c.Config.ActEpsilon), c.Config.MaxSteps);
        Assert.NotEqual(AtrStopReason.Running, r.StopReason);
    }

    [Property]
    public void No_bank_entry_is_read_twice_and_hidden_entries_are_never_read(AtrCase c)
    {
        var r = c.Read();
        var read = r.Steps.SelectMany(s => s.Indices).ToArray();

        Assert.Equal(read.Length, read.Distinct().Count());
        Assert.All(read, i => Assert.InRange(i, 0, c.Bank.Length - 1));
        if (c.Perturbation is { } p) Assert.All(read, i => Assert.False(p.Hidden[i], $"hidden entry {i} was read"));
    }

    [Property]
    public void Each_step_merges_k_candidates_or_all_that_are_left(AtrCase c)
    {
        var r = c.Read();
        var left = c.Readable;

        foreach (var step in r.Steps)
        {
            Assert.Equal(Math.Min(c.Config.Candidates, left), step.Indices.Length);
            left -= step.Indices.Length;
        }
    }

    [Property]
    public void Halting_sum_is_non_decreasing_at_most_tau_and_equals_tau_exactly_iff_halted(AtrCase c)
    {
        var r = c.Read();
        var tau = c.Config.Threshold;

        var previous = 0.0;
        for (var t = 0; t < r.StepCount; t++)
        {
            var step = r.Steps[t];
            Assert.InRange(step.Increment, 0f, 1f);
            Assert.True(step.HaltingSumAfter >= previous, $"step {t}: h went down from {previous} to {step.HaltingSumAfter}");
            Assert.True(step.HaltingSumAfter <= tau, $"step {t}: h = {step.HaltingSumAfter} > tau = {tau}");
            var last = t == r.StepCount - 1;
            if (!(last && r.StopReason == AtrStopReason.Halted))
                Assert.Equal(previous + step.Increment, step.HaltingSumAfter);   // h += d, unclamped before the halt
            previous = step.HaltingSumAfter;
        }
        Assert.Equal(previous, r.HaltingSum);
        Assert.Equal(r.StopReason == AtrStopReason.Halted, r.HaltingSum == tau);
    }

    [Property]
    public void Weights_are_non_negative_best_first_and_sum_to_one(AtrCase c)
    {
        var r = c.Read();

        foreach (var step in r.Steps)
        {
            Assert.Equal(step.Indices.Length, step.Weights.Length);
            Assert.All(step.Weights, w => Assert.True(w >= 0f, $"negative weight {w}"));
            Assert.InRange(step.Weights.Sum(w => (double)w), 1 - 1e-5, 1 + 1e-5);
            for (var i = 1; i < step.Weights.Length; i++) Assert.True(step.Weights[i] <= step.Weights[i - 1], "weights out of order");
            if (step.Weights.Length <= c.Config.TokensPerStep)
                Assert.Equal(1f, step.Increment);                                  // exactly 1, whatever the float rounding
            else
            {
                var expected = step.Weights.Take(c.Config.TokensPerStep).Sum(w => (double)w);
                Assert.InRange(step.Increment, expected - 1e-6, expected + 1e-6);
            }
        }
    }

    [Property]
    public void Loss_is_the_sum_of_step_losses_and_within_zero_and_steps_times_one_minus_one_over_k(AtrCase c)
    {
        var r = c.Read();
        var k = c.Config.Candidates;

        var sum = r.Steps.Sum(s => (double)s.Loss);
        Assert.InRange(r.Loss, sum - 1e-5, sum + 1e-5);
        foreach (var step in r.Steps) Assert.InRange(step.Loss, -1e-6f, 1f - 1f / step.Weights.Length + 1e-6f);
        Assert.InRange(r.Loss, -1e-6, r.StepCount * (1 - 1.0 / k) + 1e-5);
    }

    [Property]
    public void Reading_is_deterministic_and_leaves_its_inputs_unchanged(AtrCase c)
    {
        var query = (float[])c.Query.Clone();
        var bank = c.Bank.Select(row => (float[])row.Clone()).ToArray();
        var hidden = c.Perturbation is null ? null : (bool[])c.Perturbation.Hidden.Clone();

        var (a, b) = (c.Read(), c.Read());

        Assert.Equal(a.Steps.Select(s => s.Indices), b.Steps.Select(s => s.Indices));
        Assert.Equal(a.Steps.Select(s => s.Weights), b.Steps.Select(s => s.Weights));
        Assert.Equal(a.TapeTokens, b.TapeTokens);
        Assert.Equal((a.HaltingSum, a.Loss, a.StopReason), (b.HaltingSum, b.Loss, b.StopReason));
        Assert.Equal(query, c.Query);
        Assert.Equal(bank, c.Bank);
        if (hidden is not null) Assert.Equal(hidden, c.Perturbation!.Hidden);
    }
}
