using AdaTapeDml.Core.Atr;
using AdaTapeDml.Properties.Generators;
using AdaTapeDml.Properties.Halting.Backends;
using Xunit.Abstractions;

namespace AdaTapeDml.Properties.Halting;

/// <summary>The ATR loss R is the sum of the per-step losses (1 - sum w^2, or 1 - max w) over the steps taken, the halting
/// step included, so it lies in [0, steps * (1 - 1/k)]: a step's loss is largest when its k weights are uniform.</summary>
public sealed class Halting_Loss(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(HaltingBackends.Names), MemberType = typeof(HaltingBackends))]
    public void Loss_is_the_sum_of_step_losses_and_lies_in_zero_to_steps_times_one_minus_one_over_k(string backend) =>
        PropertyCheck.ForAll(AtrInputs.Batches(), batch =>
        {
            var traces = HaltingBackends.Named(backend).Read(batch);
            var k = batch.Config.Candidates;
            for (var b = 0; b < batch.Count; b++)
            {
                var trace = traces[b];
                var stepLosses = trace.Weights.Select(w => ReferenceAtr.StepLoss(w, batch.Config.LossType)).ToArray();
                Assert.All(stepLosses, l => Assert.InRange(l, -1e-6f, 1f - 1f / k + 1e-6f));
                Assert.InRange(trace.Loss, stepLosses.Sum(l => (double)l) - 1e-5, stepLosses.Sum(l => (double)l) + 1e-5);
                Assert.InRange(trace.Loss, -1e-6, trace.StepCount * (1 - 1.0 / k) + 1e-5);
            }
        }, output);
}
