using System.Text;
using AdaTapeDml.Core.Specs;
using static System.FormattableString;

namespace AdaTapeDml.Pipelines.Experiments;

/// <summary>The paper's quality/cost claim checked on an experiment's sweeps: the best of the AdaTape curves at each cost
/// (the highest accuracy any AdaTape sweep reaches there) against each other adaptive model's curve, at every FLOPs value
/// where either curve has a point and both are defined. Curves are piecewise linear between their points.</summary>
public static class CurveComparison
{
    /// <param name="Flops">FLOPs per sample where the two lines are compared (a point of one of them).</param>
    /// <param name="AdaTape">The best AdaTape accuracy there.</param>
    /// <param name="Baseline">The baseline's accuracy there.</param>
    public sealed record Point(double Flops, double AdaTape, double Baseline)
    {
        public double Margin => AdaTape - Baseline;
    }

    /// <summary>One baseline's comparison; <paramref name="Points"/> is empty when the curves do not overlap in FLOPs.</summary>
    public sealed record Against(string Baseline, IReadOnlyList<Point> Points)
    {
        public bool AdaTapeNeverBelow => Points.All(p => p.Margin >= 0);

        /// <summary>Where AdaTape stands and the margin range, e.g. "below it at 3 of 10 points; margins -0.54 to +0.12 points".</summary>
        public string Verdict => Points.Count == 0 ? "the curves do not overlap in FLOPs" : Invariant(
            $"{(AdaTapeNeverBelow ? "at or above it at every point" : $"below it at {Points.Count(p => p.Margin < 0)} of {Points.Count} points")}; margins {Points.Min(p => p.Margin) * 100:+0.00;-0.00} to {Points.Max(p => p.Margin) * 100:+0.00;-0.00} points");
    }

    /// <summary>Every non-AdaTape model with a sweep, compared with the AdaTape curves; empty when there is no AdaTape sweep.</summary>
    public static IReadOnlyList<Against> Of(IReadOnlyList<ExperimentResult> results)
    {
        var adaTape = results.Where(r => r.Kind == ModelKinds.AdaTape && r.Sweep.Count > 0).Select(r => Line(r.Sweep)).ToList();
        if (adaTape.Count == 0) return [];
        return results.Where(r => r.Kind != ModelKinds.AdaTape && r.Sweep.Count > 0).Select(r =>
        {
            var baseline = Line(r.Sweep);
            var points = baseline.Select(p => p.Flops).Concat(adaTape.SelectMany(l => l.Select(p => p.Flops))).Distinct().Order()
                .Select(x => (x, Best: Best(adaTape, x), Base: At(baseline, x)))
                .Where(c => c.Best is not null && c.Base is not null)
                .Select(c => new Point(c.x, c.Best!.Value, c.Base!.Value)).ToList();
            return new Against(r.Name, points);
        }).ToList();
    }

    /// <summary>The comparison as report paragraphs: per baseline the overlap, the smallest and largest margin, and every point.</summary>
    public static string Markdown(IReadOnlyList<Against> comparisons)
    {
        var text = new StringBuilder();
        foreach (var c in comparisons)
        {
            if (c.Points.Count == 0)
            {
                text.AppendLine($"AdaTape against {c.Baseline}: {c.Verdict}.").AppendLine();
                continue;
            }
            text.AppendLine(Invariant($"AdaTape's best curve against {c.Baseline} (overlap {c.Points[0].Flops / 1e6:F2}-{c.Points[^1].Flops / 1e6:F2} MFLOPs): {c.Verdict}."));
            text.AppendLine(string.Join(" · ", c.Points.Select(p => Invariant($"{p.Flops / 1e6:F2}: {p.AdaTape:P2} vs {p.Baseline:P2}")))).AppendLine();
        }
        return text.ToString();
    }

    private static (double Flops, double Accuracy)[] Line(IReadOnlyList<SweepPoint> sweep) =>
        sweep.Select(p => (p.Flops, p.Accuracy)).OrderBy(p => p.Flops).ToArray();

    private static double? Best(IEnumerable<(double Flops, double Accuracy)[]> lines, double x) =>
        lines.Select(l => At(l, x)).Where(y => y is not null).Max();

    /// <summary>The line's accuracy at <paramref name="x"/> by linear interpolation; null outside its FLOPs range.</summary>
    public static double? At(IReadOnlyList<(double Flops, double Accuracy)> line, double x)
    {
        if (line.Count == 0 || x < line[0].Flops || x > line[^1].Flops) return null;
        for (var i = 1; i < line.Count; i++)
        {
            var ((x0, y0), (x1, y1)) = (line[i - 1], line[i]);
            if (x > x1) continue;
            return x1 == x0 ? Math.Max(y0, y1) : y0 + (y1 - y0) * (x - x0) / (x1 - x0);
        }
        return line[0].Accuracy;                                                                  // a single point
    }
}
