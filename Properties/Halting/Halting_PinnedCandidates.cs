using AdaTapeDml.Core.Atr;
using AdaTapeDml.Properties.Halting.Backends;

namespace AdaTapeDml.Properties.Halting;

/// <summary>The k-holding compute knob (TapeOverride.HoldCandidates, AtrConfig.PinnedCandidates): with k pinned, tau
/// only decides when a sample halts, so every step reads what it read before and a lower tau reads a prefix of the same
/// steps; the tape never gets longer as tau falls. Every backend reads what the oracle reads with k pinned.</summary>
public sealed class Halting_PinnedCandidates(ITestOutputHelper output)
{
    /// <summary>From twice the generated tau down to a quarter of it, k held at the generated config's k.</summary>
    private static readonly double[] Factors = [2.0, 1.5, 1.0, 0.75, 0.5, 0.25];

    private static AtrConfig Pinned(AtrConfig config, double factor) =>
        config with { ActEpsilon = config.ActEpsilon * factor, PinnedCandidates = config.Candidates };

    [Fact]
    public void Tape_length_never_grows_as_tau_falls_and_the_shorter_reading_is_a_prefix()
    {
        var (samples, moved) = (0, 0);
        PropertyCheck.ForAll(AtrInputs.Batches(training: false), batch =>
        {
            for (var b = 0; b < batch.Count; b++)
            {
                var readings = Factors.Select(f => ReferenceAtr.Read(batch.Queries[b], batch.BankOf(b), batch.Norm, Pinned(batch.Config, f))).ToArray();
                samples++;
                if (readings[^1].TapeLength < readings[0].TapeLength) moved++;
                for (var i = 1; i < readings.Length; i++)
                {
                    var (longer, shorter) = (readings[i - 1], readings[i]);
                    Assert.True(shorter.TapeLength <= longer.TapeLength,
                        $"sample {b}: tau x{Factors[i]} read {shorter.TapeLength} tokens, tau x{Factors[i - 1]} only {longer.TapeLength}");
                    for (var t = 0; t < shorter.StepCount; t++)
                        Assert.Equal(longer.Steps[t].Indices, shorter.Steps[t].Indices);
                }
            }
        }, output);
        output.WriteLine($"{moved} of {samples} samples read a shorter tape at tau x0.25 than at x2");
        Assert.True(moved > samples / 4, $"only {moved} of {samples} samples' tapes moved with tau: the property would hold vacuously");
    }

    [Theory, EveryAtrBackend]
    public void Backend_reads_what_the_reference_reads_with_k_pinned(string backend)
    {
        var tally = new KnifeEdgeTally();
        var atr = HaltingBackends.Named(backend);
        PropertyCheck.ForAll(AtrInputs.Batches(training: false), generated =>
        {
            foreach (var factor in new[] { 0.5, 1.5 })
                TraceAssert.ReadsAsTheReference(atr, generated with { Config = Pinned(generated.Config, factor) }, tally, $"tau x{factor}, ");
        }, output, cases: 40);
        tally.Check(output, $"{backend} vs reference, k pinned");
    }
}
