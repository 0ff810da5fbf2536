using AdaTapeDml.Core.Atr;
using AdaTapeDml.Core.Numerics;
using AdaTapeDml.Core.Specs;

namespace AdaTapeDml.Properties.Core;

/// <summary>BatchAtr is the oracle, bit for bit: for every sample the same steps, tape length, entries (best first) and
/// weights, and tape tokens with the same float bits, zeros beyond the length. Exact, not within a tolerance: BatchAtr
/// repeats ReferenceAtr's arithmetic in the same order, so any difference is a bug (ties and knife edges included).</summary>
public sealed class BatchAtr_EqualsOracle(ITestOutputHelper output)
{
    [Fact]
    public void Batched_reading_equals_the_reference_sample_by_sample() =>
        PropertyCheck.ForAll(BatchAtrInputs.Batches(), AssertEqualsOracle, output);

    /// <summary>A lookup bank (a table and each sample's row indices, as the parity bank is read) reads what the oracle
    /// reads from the expanded rows.</summary>
    [Fact]
    public void Reading_a_lookup_table_equals_the_reference_over_the_expanded_rows() =>
        PropertyCheck.ForAll(BatchAtrInputs.Lookups(),
            c => AssertEqualsOracle(c.Expanded, AtrBank.Lookup(c.Table, c.Entries, c.Expanded.BankOf(0).Length)), output);

    /// <summary>Entries outside the table, or too few, are refused with what the table holds.</summary>
    [Fact]
    public void A_lookup_entry_outside_the_table_is_refused()
    {
        var config = new AtrConfig(NumTapeTokens: 2, TokensPerStep: 1, ActEpsilon: 1, ActLossType.Entropy, ComplexQuery: true, KeyWidth: 2);
        var (table, query) = (new float[] { 1, 2, 3, 4 }, new float[] { 1, 0 });
        var outside = Assert.Throws<ArgumentException>(() =>
            BatchAtr.Read(query, 1, AtrBank.Lookup(table, [0, 2], 2), LayerNormParams.Identity(2), config, trace: false));
        Assert.Contains("Lookup entry 1 is 2; the table has rows 0..1", outside.Message);
        var short_ = Assert.Throws<ArgumentException>(() =>
            BatchAtr.Read(query, 1, AtrBank.Lookup(table, [0], 2), LayerNormParams.Identity(2), config, trace: false));
        Assert.Contains("Expected 1 x 2 lookup entries, got 1", short_.Message);
    }

    /// <summary>A tape buffer must hold exactly B x T x D values (a session's reused array of another batch size is refused).</summary>
    [Fact]
    public void A_tape_buffer_of_another_length_is_refused()
    {
        var config = new AtrConfig(NumTapeTokens: 2, TokensPerStep: 1, ActEpsilon: 1, ActLossType.Entropy, ComplexQuery: true, KeyWidth: 2);
        var wrong = Assert.Throws<ArgumentException>(() => BatchAtr.Read(new float[] { 1, 0 }, 1, AtrBank.Shared(new float[] { 1, 2, 3, 4 }, 2),
            LayerNormParams.Identity(2), config, trace: false, tape: new float[5]));
        Assert.Contains("The tape buffer holds 5 values; 1 x 2 x 2 = 4 are written", wrong.Message);
    }

    /// <summary>A batch over <see cref="BatchAtr.ParallelWork"/> (400 samples of their own banks, or 3000 sharing one):
    /// the parallel path reads what the oracle reads.</summary>
    [Theory, InlineData(false), InlineData(true)]
    public void A_large_batch_read_in_parallel_equals_the_reference(bool shared)
    {
        var (count, bankSize, width) = (shared ? 3000 : 400, 24, 32);
        var random = new Random(20240611);
        float[] Row() => [.. Enumerable.Range(0, width).Select(_ => random.Next(3) == 0 ? random.Next(-2, 3) : random.Next(-1000, 1001) / 100f)];
        float[][] Bank() => [.. Enumerable.Range(0, bankSize).Select(_ => Row())];
        var banks = shared ? [Bank()] : Enumerable.Range(0, count).Select(_ => Bank()).ToArray();
        var queries = Enumerable.Range(0, count).Select(_ => Row()).ToArray();
        var config = new AtrConfig(NumTapeTokens: 12, TokensPerStep: 2, ActEpsilon: 2.5, ActLossType.Entropy, ComplexQuery: true, KeyWidth: 16);
        var bank = shared ? AtrBank.Shared(new float[bankSize * width], bankSize) : AtrBank.PerSample(new float[count * bankSize * width], bankSize);
        Assert.True(BatchAtr.Work(count, bank, width, config) >= BatchAtr.ParallelWork, "the batch must be large enough for the parallel path");
        AssertEqualsOracle(new AtrBatch(config, LayerNormParams.Identity(width), queries, banks, shared, Training: null));
    }

    /// <summary>The parallel path over a lookup bank of 3 rows (the parity bank's shape) with 16 entries per sample.</summary>
    [Fact]
    public void A_large_lookup_batch_read_in_parallel_equals_the_reference()
    {
        var (count, bankSize, width) = (3000, 16, 16);
        var random = new Random(20261202);
        float[] Row() => [.. Enumerable.Range(0, width).Select(_ => random.Next(-1000, 1001) / 100f)];
        float[][] table = [Row(), Row(), Row()];
        var entries = Enumerable.Range(0, count * bankSize).Select(_ => random.Next(3)).ToArray();
        var banks = Enumerable.Range(0, count).Select(b => entries[(b * bankSize)..((b + 1) * bankSize)].Select(e => table[e]).ToArray()).ToArray();
        var queries = Enumerable.Range(0, count).Select(_ => Row()).ToArray();
        var config = new AtrConfig(NumTapeTokens: 10, TokensPerStep: 1, ActEpsilon: 2, ActLossType.Entropy, ComplexQuery: true, KeyWidth: 4);
        var batch = new AtrBatch(config, LayerNormParams.Identity(width), queries, banks, SharedBank: false, Training: null);
        var lookup = AtrBank.Lookup(table.SelectMany(r => r).ToArray(), entries, bankSize);
        Assert.True(BatchAtr.Work(count, lookup, width, config) >= BatchAtr.ParallelWork, "the batch must be large enough for the parallel path");
        AssertEqualsOracle(batch, lookup);
    }

    private static void AssertEqualsOracle(AtrBatch batch)
    {
        var bank = batch.Banks.SelectMany(rows => rows.SelectMany(row => row)).ToArray();
        var bankSize = batch.Banks[0].Length;
        AssertEqualsOracle(batch, batch.SharedBank ? AtrBank.Shared(bank, bankSize) : AtrBank.PerSample(bank, bankSize));
    }

    /// <summary>Reading <paramref name="bank"/> (any form) gives what the oracle reads from each sample's rows in <paramref name="batch"/>.</summary>
    private static void AssertEqualsOracle(AtrBatch batch, AtrBank bank)
    {
        var (config, width) = (batch.Config, batch.Width);
        var queries = batch.Queries.SelectMany(q => q).ToArray();
        var traced = BatchAtr.Read(queries, batch.Count, bank, batch.Norm, config, trace: true);
        var reused = Enumerable.Repeat(float.NaN, batch.Count * config.NumTapeTokens * width).ToArray();   // a session's reused buffer
        var plain = BatchAtr.Read(queries, batch.Count, bank, batch.Norm, config, trace: false, tape: reused);

        Assert.Same(reused, plain.Tape);
        Assert.Null(plain.Trace);
        Assert.Equal(Bits(traced.Tape), Bits(plain.Tape));
        Assert.Equal(traced.Steps, plain.Steps);
        Assert.Equal((batch.Count, config.NumTapeTokens, width), (traced.Count, traced.MaxTape, traced.Width));
        for (var b = 0; b < batch.Count; b++)
        {
            var expected = ReferenceAtr.Read(batch.Queries[b], batch.BankOf(b), batch.Norm, config);
            Assert.Equal(expected.StepCount, traced.Steps[b]);
            Assert.Equal(expected.TapeLength, traced.Lengths[b]);
            Assert.Equal(expected.StepCount, traced.Trace![b].Length);
            for (var t = 0; t < expected.StepCount; t++)
            {
                Assert.Equal(expected.Steps[t].Indices, traced.Trace[b][t].Indices);
                Assert.Equal(Bits(expected.Steps[t].Weights), Bits(traced.Trace[b][t].Weights));
            }
            for (var p = 0; p < config.NumTapeTokens; p++)
            {
                var token = traced.Tape.AsSpan((b * config.NumTapeTokens + p) * width, width).ToArray();
                var want = p < expected.TapeLength ? expected.TapeTokens[p] : new float[width];
                Assert.True(Bits(want).SequenceEqual(Bits(token)), $"sample {b}, tape token {p} differs from the oracle's");
            }
        }
    }

    /// <summary>Float bits, so -0 and +0 differ and equality is exact.</summary>
    private static int[] Bits(float[] xs) => [.. xs.Select(BitConverter.SingleToInt32Bits)];
}
