using AdaTapeDml.Core.Atr;
using AdaTapeDml.Properties.Halting.Backends;

namespace AdaTapeDml.Properties.Halting;

/// <summary>The ATR loss R is the sum of the per-step losses (1 - sum w^2, or 1 - max w) over the steps taken, the halting
/// step included, so it lies in [0, steps * (1 - 1/k)]: a step's loss is largest when its k weights are uniform.</summary>
public sealed class Halting_Loss(ITestOutputHelper output)
{
    [Theory, EveryAtrBackend]
    public void Loss_is_the_sum_of_step_losses_and_lies_in_zero_to_steps_times_one_minus_one_over_k(string backend) =>
        HaltingProperty.ForEverySample(backend, output, (batch, _, trace) =>
        {
            var k = batch.Config.Candidates;
            var stepLosses = trace.Weights.Select(w => (double)ReferenceAtr.StepLoss(w, batch.Config.LossType)).ToArray();
            Assert.All(stepLosses, l => Assert.InRange(l, -1e-6, 1 - 1.0 / k + 1e-6));
            Assert.InRange(trace.Loss, stepLosses.Sum() - 1e-5, stepLosses.Sum() + 1e-5);
            Assert.InRange(trace.Loss, -1e-6, trace.StepCount * (1 - 1.0 / k) + 1e-5);
        });
}
