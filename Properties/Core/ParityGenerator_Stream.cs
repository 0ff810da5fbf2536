using AdaTapeDml.Core.Tasks;
using Tasks = AdaTapeDml.Core.Tasks;

namespace AdaTapeDml.Properties.Core;

/// <summary>The seeded, random-access parity generator on known examples: labels, one-hot encoding, determinism, held-out
/// set. (Properties over generated sequences and streams, and the uniformity checks: Parity/ParityGenerator_Properties.)</summary>
public sealed class ParityGenerator_Stream
{
    private static string Key(sbyte[] s) => string.Join(",", s);

    [Fact]
    public void Label_is_the_count_of_plus_ones_mod_2()
    {
        Assert.Equal(1, Tasks.Parity.LabelOf([1, 1, 0, -1, 1]));   // three +1
        Assert.Equal(0, Tasks.Parity.LabelOf([1, -1, -1, 1]));     // two +1; -1 does not count
        Assert.Equal(0, Tasks.Parity.LabelOf([0, -1, 0]));         // none
        Assert.Equal(0, Tasks.Parity.LabelOf([]));
        Assert.Equal(1, new ParityExample([0, 0, 1]).Label);
    }

    [Fact]
    public void One_hot_of_a_known_sequence()
    {
        Assert.Equal([0f, 0f, 1f, 1f, 0f, 0f, 0f, 1f, 0f], Tasks.Parity.OneHot([[1, -1, 0]], 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tasks.Parity.OneHot([[2]], 1));
    }

    [Fact]
    public void Same_seed_gives_the_same_batches_and_eval_set()
    {
        var a = new ParityGenerator(16, 100, seed: 42);
        var b = new ParityGenerator(16, 100, seed: 42);

        Assert.Equal(a.TrainBatch(7, 32).Sequences, b.TrainBatch(7, 32).Sequences);
        Assert.Equal(a.TrainBatch(7, 32).OneHot, b.TrainBatch(7, 32).OneHot);
        Assert.Equal(a.EvalSet, b.EvalSet);
    }

    [Fact]
    public void A_different_seed_gives_different_batches_and_eval_set()
    {
        var a = new ParityGenerator(16, 100, seed: 42);
        var c = new ParityGenerator(16, 100, seed: 43);

        Assert.NotEqual(a.TrainBatch(7, 32).Sequences.Select(Key), c.TrainBatch(7, 32).Sequences.Select(Key));
        Assert.NotEqual(a.EvalSet.Select(Key), c.EvalSet.Select(Key));
    }

    [Fact]
    public void Batches_are_random_access_and_differ_from_each_other()
    {
        var g = new ParityGenerator(16, 100, seed: 1);

        var batch = g.TrainBatch(3, 8);

        for (var i = 0; i < 8; i++) Assert.Equal(g.TrainExample(3 * 8 + i), batch.Sequences[i]);
        Assert.NotEqual(g.TrainBatch(3, 8).Sequences.Select(Key), g.TrainBatch(4, 8).Sequences.Select(Key));
    }

    [Fact]
    public void No_training_example_is_ever_a_held_out_one()
    {
        // Only 3^4 = 81 sequences and 40 draws held out: without the exclusion, thousands of draws would surely collide.
        var g = new ParityGenerator(seqLen: 4, evalExamples: 40, seed: 7);
        var heldOut = g.EvalSet.Select(Key).ToHashSet();
        var seen = new HashSet<string>();

        for (var i = 0; i < 5_000; i++)
        {
            var s = g.TrainExample(i);
            Assert.DoesNotContain(Key(s), heldOut);
            Assert.False(g.IsHeldOut(s));
            seen.Add(Key(s));
        }

        Assert.Equal(40, g.EvalSet.Count);
        Assert.All(g.EvalSet, s => Assert.True(g.IsHeldOut(s)));
        Assert.Equal(81 - heldOut.Count, seen.Count);        // every sequence that is not held out still occurs
    }

    [Fact]
    public void Eval_batches_cover_the_eval_set_in_order()
    {
        var g = new ParityGenerator(seqLen: 10, evalExamples: 45, seed: 4);

        var batches = g.EvalBatches(16).ToArray();

        Assert.Equal([16, 16, 13], batches.Select(b => b.Count));
        Assert.Equal(g.EvalSet, batches.SelectMany(b => b.Sequences));
    }

    [Fact]
    public void Holding_out_more_than_half_of_all_sequences_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ParityGenerator(seqLen: 4, evalExamples: 41, seed: 0)); // 81 / 2 = 40.5
        Assert.Throws<ArgumentOutOfRangeException>(() => new ParityGenerator(seqLen: 0, evalExamples: 0, seed: 0));
    }
}
