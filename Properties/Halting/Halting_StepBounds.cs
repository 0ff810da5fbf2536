using AdaTapeDml.Properties.Halting.Backends;

namespace AdaTapeDml.Properties.Halting;

/// <summary>How long a sample reads: between ceil(actEpsilon) and numTapeTokens / tokensPerStep steps, fewer only when
/// the bank runs out; each step merges k candidates (all that are left when fewer remain) and emits m tape tokens.</summary>
public sealed class Halting_StepBounds(ITestOutputHelper output)
{
    [Theory, EveryAtrBackend]
    public void Steps_lie_between_ceil_tau_and_S_and_fewer_only_when_the_bank_runs_out(string backend) =>
        HaltingProperty.ForEverySample(backend, output, (batch, b, trace) =>
        {
            var c = batch.Config;
            var (readable, read) = (batch.ReadableOf(b), trace.Indices.Sum(step => step.Length));
            Assert.InRange(trace.StepCount, 0, c.MaxSteps);
            Assert.Equal(trace.StepCount * c.TokensPerStep, trace.TapeTokens.Length);
            if (trace.StepCount < Math.Ceiling(c.ActEpsilon))
                Assert.True(read == readable, $"sample {b}: stopped after {trace.StepCount} < ceil(tau) steps with {readable - read} entries unread");
        });

    [Theory, EveryAtrBackend]
    public void Each_step_merges_k_candidates_or_all_that_are_left(string backend) =>
        HaltingProperty.ForEverySample(backend, output, (batch, b, trace) =>
        {
            var left = batch.ReadableOf(b);
            foreach (var step in trace.Indices)
            {
                Assert.Equal(Math.Min(batch.Config.Candidates, left), step.Length);
                left -= step.Length;
            }
        });
}
