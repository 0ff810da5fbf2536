using System.Diagnostics.Contracts;
using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Specs;

namespace AdaTapeDml.Core.Cost;

/// <summary>What a model adapts per sample, and its mean and spread over a set.</summary>
/// <param name="Name">tapeTokens (AdaTape) or utSteps (Universal Transformer).</param>
public sealed record AdaptiveStatistic(string Name, double Mean, double Std);

/// <summary>Mean and standard deviation of forward FLOPs per sample over a set.</summary>
public sealed record FlopsDistribution(double Mean, double Std);

/// <summary>The one place that turns what a backend reports per sample into a model's adaptive statistic and FLOPs per
/// sample (by <see cref="CostModel"/>): from inference sessions, each sample's own tape length, UT steps or token depths;
/// from a training run's evaluation, the tape-length histogram or the UT's mean steps per evaluation batch.</summary>
public static class SampleCosts
{
    public const string TapeTokens = "tapeTokens";
    public const string UtSteps = "utSteps";
    public const string TokenDepth = "tokenDepth";

    /// <summary>The name of what <paramref name="model"/> adapts, or null for a model that computes the same for every sample.</summary>
    [Pure]
    public static string? StatisticOf(ModelSpec model) => model switch
    {
        AdaTapeModelSpec => TapeTokens,
        UniversalTransformerModelSpec => UtSteps,
        AvitModelSpec => TokenDepth,
        _ => null,
    };

    /// <summary>Statistic and FLOPs of a held-out evaluation: AdaTape by its tape-length histogram, UT by its mean steps.</summary>
    [Pure]
    public static (AdaptiveStatistic? Statistic, FlopsDistribution Flops) Of(RunSpec spec, EvalResult eval) => spec.Model switch
    {
        AdaTapeModelSpec when eval.TapeHistogram.Sum() > 0 => OfCounts(spec, eval.TapeHistogram),
        UniversalTransformerModelSpec => (new AdaptiveStatistic(UtSteps, eval.MeanTape, eval.StdTape), new FlopsDistribution(UtFlops(spec, eval.MeanTape), 0)),
        _ => (null, new FlopsDistribution(CostModel.Forward(spec.Model, spec.Task).Total, 0)),
    };

    /// <summary>Statistic and FLOPs from what each sample computed, as inference sessions report it (<see cref="SampleCompute"/>):
    /// its tape length, UT steps or token depths, each priced by <see cref="CostModel.PerSample"/>.</summary>
    [Pure]
    public static (AdaptiveStatistic? Statistic, FlopsDistribution Flops) Of(RunSpec spec, IReadOnlyList<SampleCompute> computes)
    {
        var flops = computes.SelectMany(c => CostModel.PerSample(spec.Model, spec.Task, c)).Select(f => (double)f).ToArray();
        var statistic = StatisticOf(spec.Model) is { } name
            ? computes.SelectMany(c => Enumerable.Range(0, c.Count).Select(c.Statistic)).ToArray()
            : null;
        return (statistic is null ? null : new AdaptiveStatistic(StatisticOf(spec.Model)!, MeanOf(statistic), StdOf(statistic)),
            new FlopsDistribution(MeanOf(flops), StdOf(flops)));
    }

    private static double MeanOf(double[] xs) => xs.Length == 0 ? 0 : xs.Average();

    private static double StdOf(double[] xs)
    {
        var mean = MeanOf(xs);
        return xs.Length == 0 ? 0 : Math.Sqrt(xs.Sum(x => (x - mean) * (x - mean)) / xs.Length);
    }

    /// <summary>Statistic and FLOPs from each sample's own tape length (what an inference session's Run returns).</summary>
    [Pure]
    public static (AdaptiveStatistic? Statistic, FlopsDistribution Flops) OfTapeLengths(RunSpec spec, IReadOnlyList<int> lengths)
    {
        if (spec.Model is not AdaTapeModelSpec a) return (null, new FlopsDistribution(CostModel.Forward(spec.Model, spec.Task).Total, 0));
        var counts = new int[a.Tape.NumTapeTokens + 1];
        foreach (var length in lengths) counts[Math.Clamp(length, 0, counts.Length - 1)]++;
        return OfCounts(spec, counts);
    }

    /// <summary>From counts of samples per tape length (index = length).</summary>
    private static (AdaptiveStatistic, FlopsDistribution) OfCounts(RunSpec spec, IReadOnlyList<int> counts)
    {
        var n = (double)counts.Sum();
        var flops = counts.Select((_, length) => (double)CostModel.Forward(spec.Model, spec.Task, length).Total).ToArray();
        return (new AdaptiveStatistic(TapeTokens, Mean(counts, n, i => i), Std(counts, n, i => i)),
                new FlopsDistribution(Mean(counts, n, i => flops[i]), Std(counts, n, i => flops[i])));
    }

    /// <summary>UT FLOPs at a mean step count: the cost is linear in steps, so a fractional mean interpolates.</summary>
    private static double UtFlops(RunSpec spec, double steps)
    {
        var max = ((UniversalTransformerModelSpec)spec.Model).Act.MaxSteps;
        var lower = Math.Clamp((int)Math.Floor(steps), 1, max);
        var upper = Math.Min(lower + 1, max);
        double At(int s) => CostModel.Forward(spec.Model, spec.Task, utSteps: s).Total;
        return At(lower) + (Math.Clamp(steps, 1, max) - lower) * (At(upper) - At(lower));
    }

    private static double Mean(IReadOnlyList<int> counts, double n, Func<int, double> value) =>
        n == 0 ? 0 : counts.Select((c, i) => c * value(i)).Sum() / n;

    private static double Std(IReadOnlyList<int> counts, double n, Func<int, double> value)
    {
        var mean = Mean(counts, n, value);
        return n == 0 ? 0 : Math.Sqrt(counts.Select((c, i) => c * (value(i) - mean) * (value(i) - mean)).Sum() / n);
    }
}
