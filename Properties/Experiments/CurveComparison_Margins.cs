using AdaTapeDml.Pipelines.Experiments;
using Xunit;

namespace AdaTapeDml.Properties.Experiments;

/// <summary>The quality/cost comparison the images report prints: AdaTape's best curve against each other adaptive
/// model's, at every point of either curve where both are defined, by linear interpolation.</summary>
public sealed class CurveComparison_Margins
{
    private static ExperimentResult Model(string name, string kind, params (double Flops, double Accuracy)[] sweep) =>
        new(name, kind, "fashionMnist", 1, sweep.Length > 0 ? sweep[0].Accuracy : 0.5, 100, 1, 0, null, [], 0, 1, 1, 1, null, false,
            sweep.Select(p => new SweepPoint("knob", 0, p.Flops, p.Accuracy, null)).ToList());

    [Fact]
    public void Compares_the_best_AdaTape_line_at_every_point_of_either_curve_in_the_overlap()
    {
        var results = new[]
        {
            Model("tiny", "adatape", (1.0, 0.80), (3.0, 0.84)),
            Model("small", "adatape", (2.0, 0.90), (4.0, 0.90)),
            Model("ut", "ut", (1.5, 0.85), (2.5, 0.88), (5.0, 0.95)),
            Model("vit", "transformer"),                                             // no sweep: not a curve
        };

        var against = Assert.Single(CurveComparison.Of(results));

        Assert.Equal("ut", against.Baseline);
        // Union of the points inside both ranges (AdaTape 1..4, UT 1.5..5): 1.5, 2, 2.5, 3, 4.
        Assert.Equal([1.5, 2.0, 2.5, 3.0, 4.0], against.Points.Select(p => p.Flops));
        Assert.Equal([0.81, 0.90, 0.90, 0.90, 0.90], against.Points.Select(p => Math.Round(p.AdaTape, 10)));   // tiny below 2, small from 2
        Assert.Equal([0.85, 0.865, 0.88, 0.894, 0.922], against.Points.Select(p => Math.Round(p.Baseline, 10)));
        Assert.False(against.AdaTapeNeverBelow);
        Assert.Contains("below it at 2 of 5 points", CurveComparison.Markdown([against]));
    }

    [Fact]
    public void Curves_that_do_not_overlap_say_so_and_count_no_points()
    {
        var results = new[] { Model("a", "adatape", (5.0, 0.9), (6.0, 0.91)), Model("avit", "avit", (1.0, 0.8), (2.0, 0.85)) };

        var against = Assert.Single(CurveComparison.Of(results));

        Assert.Empty(against.Points);
        Assert.Contains("do not overlap", CurveComparison.Markdown([against]));
    }

    [Fact]
    public void A_curve_at_or_above_everywhere_passes_and_ties_count_as_passing()
    {
        var results = new[] { Model("a", "adatape", (1.0, 0.85), (2.0, 0.90)), Model("avit", "avit", (1.0, 0.85), (2.0, 0.88)) };

        var against = Assert.Single(CurveComparison.Of(results));

        Assert.True(against.AdaTapeNeverBelow);
        Assert.Equal(0, against.Points[0].Margin, 12);                                 // an exact tie at 1.0
        Assert.Contains("at or above it at every point", CurveComparison.Markdown([against]));
    }

    [Fact]
    public void Without_an_AdaTape_sweep_there_is_nothing_to_compare() =>
        Assert.Empty(CurveComparison.Of([Model("ut", "ut", (1.0, 0.8), (2.0, 0.85))]));

    [Fact]
    public void Interpolation_is_undefined_outside_a_line_and_exact_at_its_points()
    {
        (double, double)[] line = [(1.0, 0.5), (3.0, 0.7)];
        Assert.Null(CurveComparison.At(line, 0.999));
        Assert.Null(CurveComparison.At(line, 3.001));
        Assert.Equal(0.5, CurveComparison.At(line, 1.0));
        Assert.Equal(0.7, CurveComparison.At(line, 3.0));
        Assert.Equal(0.6, CurveComparison.At(line, 2.0)!.Value, 12);
        Assert.Equal(0.4, CurveComparison.At([(2.0, 0.4)], 2.0));                     // a single point
    }
}
