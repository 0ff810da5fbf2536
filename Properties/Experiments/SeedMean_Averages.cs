using AdaTapeDml.Core.Cost;
using AdaTapeDml.Pipelines.Experiments;
using AdaTapeDml.Properties.Generators;
using FsCheck;
using FsCheck.Fluent;

namespace AdaTapeDml.Properties.Experiments;

/// <summary>The means over seeds that a multi-seed experiment reports: accuracies and sweeps averaged per model and per knob
/// value, the seeds' spread beside them, and FLOPs spread pooled over every sample of every seed.</summary>
public sealed class SeedMean_Averages(ITestOutputHelper output)
{
    private static ExperimentResult Result(string name, double accuracy, double flops, double flopsStd, double tokens, double tokensStd,
        double rate, int steps, bool cut, params (double Value, double Flops, double Accuracy)[] sweep) =>
        new(name, "adatape", "fashionMnist", 1000, accuracy, 100, flops, flopsStd, new AdaptiveStatistic("tapeTokens", tokens, tokensStd),
            [new ThroughputResult("torch", 64, rate)], 10 * steps, steps, 100, steps * 128L, steps * 128 / 60000.0, cut,
            sweep.Select(p => new SweepPoint("act-epsilon-hold-k", p.Value, p.Flops, p.Accuracy, new AdaptiveStatistic("tapeTokens", p.Flops, 0))).ToList());

    [Fact]
    public void Averages_each_model_and_each_knob_value_over_the_seeds()
    {
        var seed0 = new[] { Result("a", 0.80, 2e6, 0, 4, 1, 1000, 100, false, (1, 2e6, 0.70), (2, 3e6, 0.75), (4, 4e6, 0.80)) };
        var seed1 = new[] { Result("a", 0.90, 4e6, 0, 6, 1, 3000, 90, true, (1, 4e6, 0.80), (2, 5e6, 0.85)) };       // no point at 4

        var mean = Assert.Single(SeedMean.Of([7, 9], [seed0, seed1]));

        Assert.Equal(0.85, mean.Accuracy, 12);
        Assert.Equal(Math.Sqrt(0.005), mean.AccuracyStd!.Value, 12);                                 // sample std of 0.8 and 0.9
        Assert.Equal([7, 9], mean.Seeds);
        Assert.Equal([0.80, 0.90], mean.SeedAccuracies);
        Assert.Equal((3e6, 1e6), (mean.FlopsMean, mean.FlopsStd));                                  // two constant sets 2e6 and 4e6
        Assert.Equal(5, mean.Adaptive!.Mean, 12);
        Assert.Equal(Math.Sqrt(2), mean.Adaptive.Std, 12);                                           // within-seed 1, between-seed 1
        Assert.Equal(2000, Assert.Single(mean.Throughput).ImagesPerSecond);
        Assert.Equal((90, 90 * 128L, true), (mean.Steps, mean.ExamplesSeen, mean.BudgetCut));       // the least-trained seed
        Assert.Equal([1.0, 2.0], mean.Sweep.Select(p => p.Value));                                   // 4 is not in every seed
        Assert.Equal([3e6, 4e6], mean.Sweep.Select(p => p.Flops));
        Assert.Equal([0.75, 0.80], mean.Sweep.Select(p => Math.Round(p.Accuracy, 12)));
        Assert.All(mean.Sweep, p => Assert.Equal(Math.Sqrt(0.005), p.AccuracyStd!.Value, 12));
    }

    [Fact]
    public void Seeds_with_different_models_are_refused()
    {
        var a = new[] { Result("a", 0.8, 1, 0, 1, 0, 1, 1, false) };
        var b = new[] { Result("b", 0.8, 1, 0, 1, 0, 1, 1, false) };
        Assert.Throws<ArgumentException>(() => SeedMean.Of([0, 1], [a, b]));
        Assert.Throws<ArgumentException>(() => SeedMean.Of([0], [a, a]));
    }

    /// <summary>The pooled mean and std from per-set (mean, population std) equal those of the concatenated samples, for
    /// any number of equally large sets, including one set, one sample per set and identical sets.</summary>
    [Fact]
    public void Pooled_spread_equals_the_spread_of_all_samples()
    {
        var sets = from count in Gen.Choose(1, 6)
                   from size in Gen.Choose(1, 40)
                   from values in Gen.ArrayOf(Gen.ArrayOf(Gen.Choose(-1000, 1000).Select(v => v / 8.0), size), count)
                   select values;
        PropertyCheck.ForAll(sets.ToArbitrary(), values =>
        {
            var all = values.SelectMany(v => v).ToList();
            var (mean, std) = SeedMean.Pooled(values.Select(v => (v.Average(), PopulationStd(v))).ToList());
            Assert.Equal(all.Average(), mean, 9);
            Assert.Equal(PopulationStd(all), std, 6);
        }, output);
    }

    private static double PopulationStd(IReadOnlyList<double> v)
    {
        var m = v.Average();
        return Math.Sqrt(v.Sum(x => (x - m) * (x - m)) / v.Count);
    }
}
