using AdaTapeDml.Core.Atr;
using AdaTapeDml.Core.Numerics;
using AdaTapeDml.Core.Specs;
using FsCheck;
using FsCheck.Fluent;

namespace AdaTapeDml.Properties.Generators;

/// <summary>Evaluation batches for checking <see cref="BatchAtr"/> against the oracle bit for bit, wider-ranging than
/// <see cref="AtrInputs"/>: 1..40 samples, banks of 1..24 entries (often fewer than k, so banks run out), widths 4..64,
/// tau that are not float values (2.00000001) or leave k = 0, pinned k, and exact score ties from duplicate rows,
/// constant rows (their LayerNorm is beta) and zero queries. Shrinks as <see cref="AtrInputs.Shrink"/>.</summary>
public static class BatchAtrInputs
{
    public static Arbitrary<AtrBatch> Batches() => Arb.From(Batch(), AtrInputs.Shrink);

    /// <summary>Integers in [-2, 2] (exact ties) or two-decimal values in [-10, 10].</summary>
    private static Gen<float> Value() =>
        Gen.OneOf(Gen.Choose(-2, 2).Select(i => (float)i), Gen.Choose(-1000, 1000).Select(i => i / 100f));

    /// <summary>Mostly random rows, sometimes constant ones.</summary>
    private static Gen<float[]> Row(int width) => Gen.Frequency(
        (8, Gen.ArrayOf(Value(), width)),
        (1, Value().Select(v => Enumerable.Repeat(v, width).ToArray())));

    private static Gen<float[][]> Rows(int count, int width) =>
        from rows in Gen.ArrayOf(Row(width), count)
        from copies in Gen.ArrayOf(Gen.Choose(0, count - 1).Two(), count <= 1 ? 0 : count / 3)
        select ParityInputs.WithCopies(rows, copies);

    /// <summary>A query row, or all zeros (every score then ties for the identity norm).</summary>
    private static Gen<float[]> Query(int width) => Gen.Frequency((6, Row(width)), (1, Gen.Constant(new float[width])));

    private static Gen<AtrBatch> Batch() =>
        from splitTt in Gen.Elements(1, 2, 4)
        let low = (4 + splitTt - 1) / splitTt
        from dk in Gen.Frequency((3, Gen.Choose(low, 16 / splitTt)), (1, Gen.Choose(low, 64 / splitTt)))
        let width = splitTt * dk
        from m in Gen.Choose(1, 3)
        from s in Gen.Choose(1, 5)
        from tau in Tau(s)
        from pinned in Gen.Frequency((3, Gen.Constant<int?>(null)), (1, Gen.Choose(1, 6).Select(k => (int?)k)))
        from lossType in Gen.Elements(ActLossType.Entropy, ActLossType.Max)
        from complexQuery in Gen.Elements(true, false)
        let config = new AtrConfig(m * s, m, tau, lossType, complexQuery, dk, pinned)
        from count in Gen.Frequency((2, Gen.Constant(1)), (4, Gen.Choose(1, 8)), (1, Gen.Choose(1, 40)))
        from bankSize in Gen.Frequency((1, Gen.Constant(1)), (4, Gen.Choose(1, 8)), (2, Gen.Choose(1, 24)))
        from shared in Gen.Elements(true, false)
        from banks in Gen.ArrayOf(Rows(bankSize, width), shared ? 1 : count)
        from queries in Gen.ArrayOf(Query(width), count)
        from norm in Norm(width)
        select new AtrBatch(config, norm, queries, banks, shared, Training: null);

    /// <summary>A batch whose banks are lookups: a table of 1..4 rows (the first rows of a generated bank) and every
    /// sample's entries drawn from it, so entries repeat and tie; the batch holds each sample's expanded rows for the oracle.</summary>
    public static Arbitrary<(AtrBatch Expanded, float[] Table, int[] Entries)> Lookups() => Arb.From(
        from batch in Batch()
        let bankSize = batch.BankOf(0).Length
        from tableRows in Gen.Choose(1, Math.Min(4, bankSize))
        from entries in Gen.ArrayOf(Gen.Choose(0, tableRows - 1), batch.Count * bankSize)
        let table = batch.BankOf(0)[..tableRows]
        let banks = Enumerable.Range(0, batch.Count).Select(b => entries.AsSpan(b * bankSize, bankSize).ToArray().Select(e => table[e]).ToArray()).ToArray()
        select (batch with { Banks = banks, SharedBank = false }, table.SelectMany(r => r).ToArray(), entries));

    /// <summary>tau up to S plus a hair: integers, integers plus 1e-8 (not a float value: float rounding would halt a step
    /// early), and fractions of S (k = floor(T / tau) then ranges from 0 to hundreds).</summary>
    private static Gen<double> Tau(int s) => Gen.OneOf(
        Gen.Choose(1, s).Select(i => (double)i),
        Gen.Choose(1, s).Select(i => i + 1e-8),
        Gen.Choose(1, 1000).Select(i => s * i / 1000.0));

    /// <summary>The identity norm half the time, random scales (zero and negative included) and shifts otherwise.</summary>
    private static Gen<LayerNormParams> Norm(int width) => Gen.OneOf(
        Gen.Constant(LayerNormParams.Identity(width)),
        from gamma in Gen.ArrayOf(Gen.Choose(-200, 200).Select(i => i / 100f), width)
        from beta in Gen.ArrayOf(Gen.Choose(-100, 100).Select(i => i / 100f), width)
        select new LayerNormParams(gamma, beta));
}
