using AdaTapeDml.Core.Atr;
using AdaTapeDml.Properties.Halting.Backends;

namespace AdaTapeDml.Properties.Halting;

/// <summary>The halting sum h: the running sum of each step's increment d (the first m weights; exactly 1 when a step
/// merges at most m entries). It never decreases, never exceeds actEpsilon, equals it exactly when the sample halted, and
/// reading stops on the step that reaches it; below tau it stops only after S steps or when the bank runs out. A backend that does not expose per-step sums is checked on its final sum
/// against the increments of its own weights.</summary>
public sealed class Halting_HaltingSum(ITestOutputHelper output)
{
    /// <summary>Slack for a sum recomputed from float weights by another backend; the reference is checked exactly.</summary>
    private const double Slack = 1e-6;

    [Theory, EveryAtrBackend]
    public void Halting_sum_never_decreases_never_exceeds_tau_and_equals_tau_exactly_when_halted(string backend) =>
        HaltingProperty.ForEverySample(backend, output, (batch, b, trace) =>
        {
            var (tau, m) = (batch.Config.Threshold, batch.Config.TokensPerStep);
            var tolerance = HaltingBackends.Named(backend).Tolerance;                  // exact for the oracle; a float graph sums d in its own order
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
                    var expected = sum >= tau ? tau : sum;                              // h += d, clamped to tau on the halting step
                    Assert.True(Math.Abs(expected - recorded[t]) <= tolerance, $"sample {b}, step {t}: h = {recorded[t]:R}, expected {expected:R}");
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
                var read = trace.Indices.Sum(step => step.Length);
                Assert.True(trace.StepCount == batch.Config.MaxSteps || read == batch.ReadableOf(b),
                    $"sample {b}: stopped below tau after {trace.StepCount} of {batch.Config.MaxSteps} steps with entries left to read");
            }
        });
}
