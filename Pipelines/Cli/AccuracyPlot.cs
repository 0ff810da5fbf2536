using AdaTapeDml.Pipelines.Experiments;
using AdaTapeDml.Pipelines.Training;

namespace AdaTapeDml.Cli;

/// <summary>PNG plot of held-out accuracy against training time, one line per run (from each run's evals.csv; a
/// damaged one is a UserError naming the file and line).</summary>
public static class AccuracyPlot
{
    public const string FileName = "accuracy-vs-time.png";

    /// <summary>The plot of an experiment's models, from their run folders.</summary>
    public static ExperimentPlot Create(string title, double minAccuracy) => new(FileName, "held-out accuracy against training time",
        (plan, results, path) => Write(results.Select(r => (r.Name, new RunDirectory(Path.Combine(plan.Root, r.Name)))).ToList(), path, title, minAccuracy));

    public static void Write(IReadOnlyList<(string Name, RunDirectory Run)> runs, string path, string title, double minAccuracy)
    {
        var plot = new ScottPlot.Plot();
        foreach (var (name, run) in runs)
        {
            var rows = MetricsLog.Evaluations(run);
            if (rows.Count == 0) continue;
            var line = plot.Add.Scatter(rows.Select(r => r.Seconds).ToArray(), rows.Select(r => 100 * r.Accuracy).ToArray());
            line.LegendText = name;
        }
        plot.Title(title);
        plot.XLabel("training time (s)");
        plot.YLabel("held-out accuracy (%)");
        plot.Axes.SetLimitsY(minAccuracy, 101);
        plot.ShowLegend();
        PlotFile.SavePng(plot, path, 900, 540);
    }
}
