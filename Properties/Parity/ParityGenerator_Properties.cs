using AdaTapeDml.Core.Tasks;
using FsCheck;
using FsCheck.Fluent;
using Tasks = AdaTapeDml.Core.Tasks;

namespace AdaTapeDml.Properties.Parity;

/// <summary>The parity task's data: labels count +1 mod 2, one-hot rows are one-hot, elements are uniform, and the
/// training stream never serves a held-out sequence.</summary>
public sealed class ParityGenerator_Properties(ITestOutputHelper output)
{
    /// <summary>A generator (seed, length 1..12, up to 200 held out) and a training batch position.</summary>
    public sealed record StreamCase(int Seed, int SeqLen, int EvalExamples, long BatchIndex, int BatchSize)
    {
        public ParityGenerator Generator() => new(SeqLen, EvalExamples, Seed);
    }

    public static Arbitrary<StreamCase> Streams() => Arb.From(
        from seed in Gen.Choose(-1000, 1000)
        from seqLen in Gen.Choose(1, 12)
        from evalExamples in Gen.Choose(0, (int)Math.Min(200, Math.Pow(3, seqLen) / 2))
        from batchIndex in Gen.Choose(0, 100_000)
        from batchSize in Gen.Choose(1, 64)
        select new StreamCase(seed, seqLen, evalExamples, batchIndex, batchSize),
        c => new[]
        {
            c with { BatchSize = 1 }, c with { BatchIndex = 0 }, c with { Seed = 0 }, c with { EvalExamples = Math.Min(c.EvalExamples, 1) },
            c with { SeqLen = c.SeqLen - 1, EvalExamples = (int)Math.Min(c.EvalExamples, Math.Pow(3, c.SeqLen - 1) / 2) },
        }.Where(s => s != c && s.SeqLen >= 1));

    [Fact]
    public void The_label_flips_with_each_added_plus_1_and_ignores_0_and_minus_1() =>
        PropertyCheck.ForAll(ParityInputs.Sequences(), s =>
        {
            var label = Tasks.Parity.LabelOf(s);
            Assert.InRange(label, 0, 1);
            Assert.Equal(1 - label, Tasks.Parity.LabelOf([.. s, 1]));
            Assert.Equal(label, Tasks.Parity.LabelOf([.. s, 0]));
            Assert.Equal(label, Tasks.Parity.LabelOf([.. s, -1]));
            Assert.Equal(label, Tasks.Parity.LabelOf(s.Reverse().ToArray()));
        }, output);

    [Fact]
    public void Generated_labels_are_the_count_of_plus_1_mod_2() =>
        PropertyCheck.ForAll(Streams(), c =>
        {
            var batch = c.Generator().TrainBatch(c.BatchIndex, c.BatchSize);
            for (var b = 0; b < batch.Count; b++) Assert.Equal(batch.Sequences[b].Count(x => x == 1) % 2, batch.Labels[b]);
        }, output);

    [Fact]
    public void One_hot_rows_sum_to_1_and_mark_channel_x_plus_1() =>
        PropertyCheck.ForAll(ParityInputs.Sequences(), s =>
        {
            var oneHot = Tasks.Parity.OneHot([s], s.Length);
            Assert.Equal(s.Length * Tasks.Parity.Channels, oneHot.Length);
            for (var i = 0; i < s.Length; i++)
            {
                var row = oneHot.AsSpan(i * Tasks.Parity.Channels, Tasks.Parity.Channels).ToArray();
                Assert.Equal(1f, row.Sum());
                Assert.Equal(1f, row[s[i] + 1]);                        // -1 -> channel 0, 0 -> 1, +1 -> 2
            }
        }, output);

    [Fact]
    public void Training_batches_never_contain_a_held_out_sequence() =>
        PropertyCheck.ForAll(Streams(), c =>
        {
            var generator = c.Generator();
            var heldOut = generator.EvalSet.Select(s => string.Join(",", s)).ToHashSet();
            var batch = generator.TrainBatch(c.BatchIndex, c.BatchSize);
            Assert.All(batch.Sequences, s => Assert.DoesNotContain(string.Join(",", s), heldOut));
        }, output);

    [Fact]
    public void Elements_are_uniform_over_minus_1_0_and_plus_1_within_2_percent()
    {
        var g = new ParityGenerator(seqLen: 100, evalExamples: 100, seed: 2024);
        var counts = new int[3];

        for (var i = 0; i < 1000; i++)                       // 100,000 elements
            foreach (var x in g.TrainExample(i)) counts[x + 1]++;

        // Each frequency within 2% (relative) of 1/3; the standard error is sqrt(2/9 / 1e5) = 0.0015, i.e. 0.45%.
        output.WriteLine($"frequencies of -1, 0, +1: {string.Join(", ", counts.Select(n => (n / 100_000.0).ToString("F4")))}");
        Assert.All(counts, n => Assert.InRange(n / 100_000.0, (1 / 3.0) * 0.98, (1 / 3.0) * 1.02));
    }

    [Fact]
    public void Plus_1_is_equally_likely_at_every_position_within_4_percent()
    {
        var g = new ParityGenerator(seqLen: 8, evalExamples: 100, seed: 9);
        var plusOnes = new int[8];

        for (var i = 0; i < 30_000; i++)
        {
            var s = g.TrainExample(i);
            for (var p = 0; p < 8; p++) if (s[p] == 1) plusOnes[p]++;
        }

        // 10,000 expected per position; standard error ~82.
        Assert.All(plusOnes, n => Assert.InRange(n, 9_600, 10_400));
    }
}
