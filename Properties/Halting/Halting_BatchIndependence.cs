using AdaTapeDml.Properties.Halting.Backends;
using FsCheck;

namespace AdaTapeDml.Properties.Halting;

/// <summary>A sample's tape (indices, weights, tokens, length) does not depend on its batch-mates: it is the same alone,
/// inside any batch, and after any permutation of the batch (duplicate rows and exact ties included).</summary>
public sealed class Halting_BatchIndependence(ITestOutputHelper output)
{
    /// <summary>Batched kernels may round differently from a batch of one; the reference is checked exactly.</summary>
    private static double ToleranceOf(string backend) => backend == "reference" ? 0 : 1e-6;

    /// <summary>A batch and a permutation of its rows.</summary>
    public static Arbitrary<(AtrBatch Value, int[] Permutation)> PermutedBatches() => Permuted.Of(AtrInputs.Batches(), b => b.Count);

    [Theory, EveryAtrBackend]
    public void A_sample_reads_the_same_tape_alone_in_its_batch_and_after_any_permutation(string backend) =>
        PropertyCheck.ForAll(PermutedBatches(), p =>
        {
            var (batch, permutation) = p;
            var atr = HaltingBackends.Named(backend);
            var tolerance = ToleranceOf(backend);
            var together = atr.Read(batch);
            var permuted = atr.Read(batch.Rows(permutation));
            for (var i = 0; i < batch.Count; i++)
                TraceAssert.Equal(together[permutation[i]], permuted[i], tolerance, $"sample {permutation[i]} moved to row {i}");
            for (var b = 0; b < batch.Count; b++)
                TraceAssert.Equal(together[b], atr.Read(batch.Rows([b]))[0], tolerance, $"sample {b} alone");
        }, output);
}
