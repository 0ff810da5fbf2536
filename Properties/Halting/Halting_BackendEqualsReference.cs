using AdaTapeDml.Properties.Generators;
using AdaTapeDml.Properties.Halting.Backends;
using Xunit.Abstractions;

namespace AdaTapeDml.Properties.Halting;

/// <summary>Every backend reads the tape the Core oracle reads: the same entries at every step, and weights, tape tokens,
/// halting sum and loss within 1e-5. Exact ties between identical bank rows go to the lower index in both. Samples that
/// meet a near tie (two candidates within 1e-5, relative, of different rows) are left out of the comparison: the oracle's
/// LayerNorm runs in double and a backend's in float, so such a pair may be ordered either way (found by this property;
/// see the pinned regression below). The test output states how many samples were compared.</summary>
public sealed class Halting_BackendEqualsReference(ITestOutputHelper output)
{
    private const double Tolerance = 1e-5;

    [Theory, EveryAtrBackend]
    public void Backend_reads_what_the_reference_reads_within_1e_5(string backend)
    {
        var (compared, nearTies) = (0, 0);
        PropertyCheck.ForAll(AtrInputs.Batches(), batch =>
        {
            var expected = new ReferenceAtrImplementation().Read(batch);
            var actual = HaltingBackends.Named(backend).Read(batch);
            for (var b = 0; b < batch.Count; b++)
            {
                if (AtrInputs.HasScoreTies(batch, b, AtrInputs.NearTie, identicalRowsCount: false)) { nearTies++; continue; }
                compared++;
                TraceAssert.Equal(expected[b], actual[b], Tolerance, $"sample {b}");
            }
        }, output);
        output.WriteLine($"{compared} samples compared, {nearTies} left out for near ties");
        Assert.True(compared > 2 * nearTies, "near ties crowd out the comparison: the generator needs fixing");
    }
}
