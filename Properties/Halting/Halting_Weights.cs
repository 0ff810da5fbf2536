using AdaTapeDml.Properties.Halting.Backends;

namespace AdaTapeDml.Properties.Halting;

/// <summary>Each step's read weights are a probability distribution over its candidates, best candidate first.</summary>
public sealed class Halting_Weights(ITestOutputHelper output)
{
    [Theory, EveryAtrBackend]
    public void Each_steps_weights_are_non_negative_best_first_and_sum_to_one(string backend) =>
        HaltingProperty.ForEverySample(backend, output, (_, b, trace) =>
        {
            for (var t = 0; t < trace.StepCount; t++)
            {
                var w = trace.Weights[t];
                Assert.Equal(trace.Indices[t].Length, w.Length);
                Assert.All(w, x => Assert.True(x >= 0f, $"sample {b}, step {t}: negative weight {x}"));
                Assert.InRange(w.Sum(x => (double)x), 1 - 1e-5, 1 + 1e-5);
                for (var i = 1; i < w.Length; i++) Assert.True(w[i] <= w[i - 1], $"sample {b}, step {t}: weights out of order");
            }
        });
}
