using AdaTapeDml.Core.Serialization;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Core.Tasks;
using FsCheck;
using FsCheck.Fluent;
using Tasks = AdaTapeDml.Core.Tasks;

namespace AdaTapeDml.Properties.Generators;

/// <summary>A small valid AdaTape spec, a weight seed and a batch of inputs for its task (row-major, count samples).</summary>
public sealed record ModelCase(RunSpec Spec, int Seed, float[][] Rows)
{
    public int Count => Rows.Length;
    public float[] Inputs => Rows.SelectMany(r => r).ToArray();
    public int NumTapeTokens => ((AdaTapeModelSpec)Spec.Model).Tape.NumTapeTokens;

    /// <summary>The rows <paramref name="rows"/> of the batch, in that order.</summary>
    public float[] InputsOf(IEnumerable<int> rows) => rows.SelectMany(r => Rows[r]).ToArray();

    public override string ToString() =>
        $"seed {Seed}, {Count} samples\n{RunSpecJson.Serialize(Spec)}\n" + string.Join("\n", Rows.Select(r => "  " + string.Join(" ", r)));
}

/// <summary>FsCheck arbitraries of <see cref="ModelCase"/>s: parity batches (sequence and learnable banks) and image batches
/// (image and learnable banks), 1..32 samples with duplicate rows. Shrinking drops samples and simplifies the spec
/// without changing the input shape.</summary>
public static class ModelInputs
{
    public static Arbitrary<ModelCase> Cases() => Arb.From(
        from spec in ValidSpecs.Buildable()
        from seed in Gen.Choose(0, 10_000)
        from count in Gen.Frequency((3, Gen.Choose(1, 6)), (1, Gen.Choose(1, 32)))
        from rows in spec.Task is ParityTaskSpec parity
            ? ParityInputs.Batch(parity.SeqLen, count).Select(b => b.Select(s => Tasks.Parity.OneHot([s], parity.SeqLen)).ToArray())
            : ImageBatches.Batch(count)
        select new ModelCase(spec, seed, rows),
        Shrink);

    private static IEnumerable<ModelCase> Shrink(ModelCase c)
    {
        if (c.Count > 1)
        {
            yield return c with { Rows = c.Rows[..(c.Count / 2)] };
            for (var i = 0; i < c.Count; i++) yield return c with { Rows = c.Rows.Where((_, j) => j != i).ToArray() };
        }
        foreach (var spec in ValidSpecs.Shrink(c.Spec).Where(s => s.Task == c.Spec.Task && s.Model is AdaTapeModelSpec))
            yield return c with { Spec = spec };
    }
}
