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

    /// <summary>400 samples over <see cref="BatchAtr.ParallelWork"/>: the parallel path reads what the oracle reads.</summary>
    [Theory, InlineData(false), InlineData(true)]
    public void A_large_batch_read_in_parallel_equals_the_reference(bool shared)
    {
        var (count, bankSize, width) = (400, 24, 32);
        Assert.True((long)count * bankSize * width >= BatchAtr.ParallelWork, "the batch must take the parallel path");
        var random = new Random(20240611);
        float[] Row() => [.. Enumerable.Range(0, width).Select(_ => random.Next(3) == 0 ? random.Next(-2, 3) : random.Next(-1000, 1001) / 100f)];
        float[][] Bank() => [.. Enumerable.Range(0, bankSize).Select(_ => Row())];
        var banks = shared ? [Bank()] : Enumerable.Range(0, count).Select(_ => Bank()).ToArray();
        var queries = Enumerable.Range(0, count).Select(_ => Row()).ToArray();
        var config = new AtrConfig(NumTapeTokens: 12, TokensPerStep: 2, ActEpsilon: 2.5, ActLossType.Entropy, ComplexQuery: true, KeyWidth: 16);
        AssertEqualsOracle(new AtrBatch(config, LayerNormParams.Identity(width), queries, banks, shared, Training: null));
    }

    private static void AssertEqualsOracle(AtrBatch batch)
    {
        var (config, width) = (batch.Config, batch.Width);
        var queries = batch.Queries.SelectMany(q => q).ToArray();
        var bank = batch.Banks.SelectMany(rows => rows.SelectMany(row => row)).ToArray();
        var bankSize = batch.Banks[0].Length;
        var traced = BatchAtr.Read(queries, batch.Count, bank, bankSize, batch.SharedBank, batch.Norm, config, trace: true);
        var plain = BatchAtr.Read(queries, batch.Count, bank, bankSize, batch.SharedBank, batch.Norm, config, trace: false);

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
