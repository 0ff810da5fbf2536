using AdaTapeDml.Properties.Halting.Backends;
using FsCheck;

namespace AdaTapeDml.Properties.Halting;

/// <summary>Through a whole model: a sample's tape length, tape tokens and logits are the same alone, inside any batch and
/// after any permutation of the batch (duplicate rows included).</summary>
[Collection(TorchGlobalGenerator.Name)]
public sealed class Halting_BatchIndependence_Logits(ITestOutputHelper output)
{
    private const double Tolerance = Tolerances.OtherKernelPath;

    public static Arbitrary<(ModelCase Value, int[] Permutation)> PermutedCases() => Permuted.Of(ModelInputs.Cases(), c => c.Count);

    [Theory, EveryInferenceBackend]
    public void A_sample_gets_the_same_tape_and_logits_alone_in_its_batch_and_after_any_permutation(string backend) =>
        PropertyCheck.ForAll(PermutedCases(), p =>
        {
            var (c, permutation) = p;
            using var session = InferenceBackends.Named(backend).Open(c.Spec, c.Seed);
            var (logits, lengths) = session.Run(c.Inputs, c.Count);
            var read = session.Read(c.Inputs, c.Count);
            var classes = logits.Length / c.Count;
            float[] Row(float[] all, int b) => all.AsSpan(b * classes, classes).ToArray();

            var (permutedLogits, permutedLengths) = session.Run(c.InputsOf(permutation), c.Count);
            for (var i = 0; i < c.Count; i++)
            {
                Assert.Equal(lengths[permutation[i]], permutedLengths[i]);
                TraceAssert.Near(Row(logits, permutation[i]), Row(permutedLogits, i), Tolerance, $"sample {permutation[i]} moved to row {i}");
            }
            for (var b = 0; b < c.Count; b++)
            {
                var (aloneLogits, aloneLengths) = session.Run(c.InputsOf([b]), 1);
                var aloneRead = session.Read(c.InputsOf([b]), 1);
                Assert.Equal(lengths[b], aloneLengths[0]);
                Assert.Equal(read.Lengths[b], aloneRead.Lengths[0]);
                TraceAssert.Near(Row(logits, b), aloneLogits, Tolerance, $"sample {b} alone: logits");
                TraceAssert.Near(read.TapeOf(b, lengths[b]).ToArray(), aloneRead.TapeOf(0, lengths[b]).ToArray(), Tolerance, $"sample {b} alone: tape");
            }
        }, output);
}
