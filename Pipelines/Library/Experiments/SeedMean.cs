using AdaTapeDml.Core.Cost;

namespace AdaTapeDml.Pipelines.Experiments;

/// <summary>One experiment run under several seeds, summarised as one result per model: accuracies, FLOPs, statistics and
/// throughput averaged over the seeds, each sweep point averaged over the seeds at the same knob value, and the seeds'
/// spread of accuracy kept beside each mean. One seed's 0.6-point swing (the UT on Fashion-MNIST: 88.74 % at seed 0,
/// 88.13 % at seed 1) is larger than most margins between models, so a comparison of curves needs the means.</summary>
public static class SeedMean
{
    /// <summary>The mean of every model over the seeds.</summary>
    /// <param name="seeds">The seeds, one per element of <paramref name="perSeed"/>.</param>
    /// <param name="perSeed">Each seed's results, the same models in the same order.</param>
    public static IReadOnlyList<ExperimentResult> Of(IReadOnlyList<int> seeds, IReadOnlyList<IReadOnlyList<ExperimentResult>> perSeed)
    {
        if (seeds.Count != perSeed.Count || seeds.Count == 0)
            throw new ArgumentException($"{seeds.Count} seeds for {perSeed.Count} result lists", nameof(perSeed));
        var names = perSeed[0].Select(r => r.Name).ToList();
        if (perSeed.Any(results => !results.Select(r => r.Name).SequenceEqual(names)))
            throw new ArgumentException("every seed must hold the same models in the same order", nameof(perSeed));
        return names.Select((_, i) => Mean(seeds, perSeed.Select(results => results[i]).ToList())).ToList();
    }

    private static ExperimentResult Mean(IReadOnlyList<int> seeds, IReadOnlyList<ExperimentResult> runs)
    {
        var first = runs[0];
        var accuracies = runs.Select(r => r.Accuracy).ToList();
        var (flopsMean, flopsStd) = Pooled(runs.Select(r => (r.FlopsMean, r.FlopsStd)).ToList());
        var throughput = first.Throughput.Select(t => t with
        {
            ImagesPerSecond = runs.Average(r => r.Throughput.Single(o => o.Backend == t.Backend && o.BatchSize == t.BatchSize).ImagesPerSecond),
        }).ToList();
        return first with
        {
            Accuracy = accuracies.Average(),
            FlopsMean = flopsMean,
            FlopsStd = flopsStd,
            Adaptive = PooledStatistic(runs.Select(r => r.Adaptive).ToList()),
            Throughput = throughput,
            TrainSeconds = runs.Average(r => r.TrainSeconds),
            // The least-trained seed speaks for the model: a cut seed makes the mean a cut result.
            Steps = runs.Min(r => r.Steps),
            ExamplesSeen = runs.Min(r => r.ExamplesSeen),
            Epochs = runs.Any(r => r.Epochs is null) ? null : runs.Min(r => r.Epochs),
            BudgetCut = runs.Any(r => r.BudgetCut),
            Sweep = MeanSweep(runs),
            Seeds = seeds.ToList(),
            SeedAccuracies = accuracies,
            AccuracyStd = SampleStd(accuracies),
        };
    }

    /// <summary>Per knob value of the first seed's sweep, the mean over the seeds; a value some seed lacks is dropped.</summary>
    private static List<SweepPoint> MeanSweep(IReadOnlyList<ExperimentResult> runs) =>
        runs[0].Sweep.Select(point => runs.Select(r => r.Sweep.FirstOrDefault(p => p.Knob == point.Knob && p.Value == point.Value)).ToList())
            .Where(points => points.All(p => p is not null))
            .Select(points =>
            {
                var accuracies = points.Select(p => p!.Accuracy).ToList();
                return points[0]! with
                {
                    Flops = points.Average(p => p!.Flops),
                    Accuracy = accuracies.Average(),
                    Adaptive = PooledStatistic(points.Select(p => p!.Adaptive).ToList()),
                    AccuracyStd = SampleStd(accuracies),
                };
            }).ToList();

    private static AdaptiveStatistic? PooledStatistic(IReadOnlyList<AdaptiveStatistic?> statistics)
    {
        if (statistics.Any(s => s is null)) return null;
        var (mean, std) = Pooled(statistics.Select(s => (s!.Mean, s.Std)).ToList());
        return statistics[0]! with { Mean = mean, Std = std };
    }

    /// <summary>Mean and standard deviation over the union of equally large sets, from each set's mean and (population)
    /// standard deviation: the spread over every sample of every seed.</summary>
    public static (double Mean, double Std) Pooled(IReadOnlyList<(double Mean, double Std)> sets)
    {
        var mean = sets.Average(s => s.Mean);
        var secondMoment = sets.Average(s => s.Std * s.Std + s.Mean * s.Mean);
        return (mean, Math.Sqrt(Math.Max(0, secondMoment - mean * mean)));
    }

    /// <summary>Sample standard deviation (n - 1); 0 for a single value.</summary>
    public static double SampleStd(IReadOnlyList<double> values)
    {
        if (values.Count < 2) return 0;
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }
}
