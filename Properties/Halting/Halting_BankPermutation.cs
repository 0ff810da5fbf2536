using AdaTapeDml.Properties.Halting.Backends;
using FsCheck;
using FsCheck.Fluent;

namespace AdaTapeDml.Properties.Halting;

/// <summary>A learnable bank is a set, not a list: permuting its rows permutes the indices read and leaves the tape
/// tokens, weights, halting sum and loss unchanged. Ties aside: with two equal scores the lower index wins, so the
/// property is checked on inputs without exact score ties.</summary>
public sealed class Halting_BankPermutation(ITestOutputHelper output)
{
    /// <summary>A tie-free batch with a shared (learnable) bank, in evaluation (bank masking hides entries by index, so it
    /// does not commute with a permutation), and a permutation of the bank's rows.</summary>
    public static Arbitrary<(AtrBatch Value, int[] Permutation)> SharedBankPermuted() => Permuted.Of(
        Arb.From(
            AtrInputs.WithoutTies().Generator.Select(b => b with { SharedBank = true, Banks = [b.Banks[0]], Training = null }).Where(TieFree),
            b => AtrInputs.Shrink(b).Where(TieFree)),
        b => b.Banks[0].Length);

    private static bool TieFree(AtrBatch b) => !AtrInputs.HasScoreTies(b, AtrInputs.NearTie);

    [Theory, EveryAtrBackend]
    public void Permuting_a_learnable_banks_rows_permutes_the_indices_and_leaves_the_tape_unchanged(string backend) =>
        PropertyCheck.ForAll(SharedBankPermuted(), p =>
        {
            var (batch, permutation) = p;                                   // new row j holds old row permutation[j]
            var atr = HaltingBackends.Named(backend);
            var permutedBatch = batch with { Banks = [permutation.Select(r => batch.Banks[0][r]).ToArray()] };
            var original = atr.Read(batch);
            var permuted = atr.Read(permutedBatch);
            var newIndexOf = new int[permutation.Length];
            for (var j = 0; j < permutation.Length; j++) newIndexOf[permutation[j]] = j;
            for (var b = 0; b < batch.Count; b++)
            {
                var expected = original[b] with { Indices = original[b].Indices.Select(step => step.Select(i => newIndexOf[i]).ToArray()).ToArray() };
                TraceAssert.Equal(expected, permuted[b], 1e-6, $"sample {b}");
            }
        }, output);
}
