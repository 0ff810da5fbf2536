using AdaTapeDml.Core.Atr;
using AdaTapeDml.Properties.Generators;
using AdaTapeDml.Properties.Halting.Backends;
using Xunit.Abstractions;

namespace AdaTapeDml.Properties.Halting;

/// <summary>The halting sum h: the running sum of each step's increment d (the first m weights; exactly 1 when a step
/// merges at most m entries). It never decreases, never exceeds actEpsilon, equals it exactly when the sample halted, and
/// reading stops on the step that reaches it. A backend that does not expose per-step sums is checked on its final sum
/// against the increments of its own weights.</summary>
public sealed class Halting_HaltingSum(ITestOutputHelper output)
{
    /// <summary>Slack for a sum recomputed from float weights by another backend; the reference is checked exactly.</summary>
    private const double Slack = 1e-6;

    [Theory]
    [MemberData(nameof(HaltingBackends.Names), MemberType = typeof(HaltingBackends))]
    public void Halting_sum_never_decreases_never_exceeds_tau_and_equals_tau_exactly_when_halted(string backend) =>
        PropertyCheck.ForAll(AtrInputs.Batches(), batch =>
        {
            var traces = HaltingBackends.Named(backend).Read(batch);
            var (tau, m) = (batch.Config.Threshold, batch.Config.TokensPerStep);
            for (var b = 0; b < batch.Count; b++)
            {
                var trace = traces[b];
                var sum = 0.0;
                for (var t = 0; t < trace.StepCount; t++)
                {
                    var d = ReferenceAtr.Increment(trace.Weights[t], m);
                    Assert.InRange(d, 0f, 1f);
                    var before = sum;
                    sum += d;
                    var last = t == trace.StepCount - 1;
                    if (!last) Assert.True(sum < tau + Slack, $"sample {b}: h = {sum} reached tau = {tau} at step {t} but reading went on");
                    if (trace.HaltingSums is { } recorded)
                    {
                        Assert.True(recorded[t] >= (t == 0 ? 0 : recorded[t - 1]), $"sample {b}, step {t}: h went down");
                        Assert.True(recorded[t] <= tau, $"sample {b}, step {t}: h = {recorded[t]} > tau = {tau}");
                        Assert.Equal(sum >= tau ? tau : sum, recorded[t]);                 // h += d, clamped to tau on the halting step
                        Assert.True(before < tau, $"sample {b}: a step after the halt");
                    }
                }
                var halted = trace.HaltingSum == tau;
                Assert.True(trace.HaltingSum <= tau, $"sample {b}: final h = {trace.HaltingSum} > tau = {tau}");
                if (halted) Assert.True(sum >= tau - Slack, $"sample {b}: h = tau but its increments sum to {sum}");
                else
                {
                    Assert.True(Math.Abs(trace.HaltingSum - sum) <= Slack, $"sample {b}: h = {trace.HaltingSum}, increments sum to {sum}");
                    Assert.True(sum < tau + Slack, $"sample {b}: increments reach tau ({sum}) but h = {trace.HaltingSum} != tau");
                }
            }
        }, output);
}
