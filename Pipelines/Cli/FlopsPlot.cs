using AdaTapeDml.Pipelines.Experiments;

namespace AdaTapeDml.Cli;

/// <summary>accuracy-vs-flops.png: the paper's quality/cost figure. Each model's trained setting is a point; an adaptive
/// model's compute-knob sweep is a line through its points; a mean over seeds has error bars of the seeds' spread.</summary>
public static class FlopsPlot
{
    public const string FileName = "accuracy-vs-flops.png";

    public static ExperimentPlot Create(string title) => new(FileName, "test accuracy against forward FLOPs per image", (_, results, path) => Write(results, path, title));

    public static void Write(IReadOnlyList<ExperimentResult> results, string path, string title)
    {
        var plot = new ScottPlot.Plot();
        foreach (var r in results)
        {
            var (xs, ys) = r.Sweep.Count > 0
                ? (r.Sweep.Select(p => p.Flops / 1e6).ToArray(), r.Sweep.Select(p => 100 * p.Accuracy).ToArray())
                : (new[] { r.FlopsMean / 1e6 }, new[] { 100 * r.Accuracy });
            var series = plot.Add.Scatter(xs, ys);
            series.LegendText = r.Sweep.Count > 0 ? $"{r.Name} ({r.Sweep[0].Knob} sweep)" : r.Name;
            series.MarkerSize = 8;
            if (r.Sweep.Count == 0) series.LineWidth = 0;
            // A mean over seeds carries the seeds' spread of accuracy: drawn as error bars (± one std) in the line's colour.
            var spread = r.Sweep.Count > 0 ? r.Sweep.Select(p => p.AccuracyStd).ToArray() : [r.AccuracyStd];
            if (spread.All(s => s is not null))
                plot.Add.ErrorBar(xs, ys, spread.Select(s => 100 * s!.Value).ToArray()).Color = series.Color;
        }
        plot.Title(title);
        plot.XLabel("mean forward MFLOPs per image (Core cost model)");
        plot.YLabel("test accuracy (%)");
        plot.ShowLegend(ScottPlot.Edge.Right);                                          // outside the data: no point hidden under it
        PlotFile.SavePng(plot, path, 1100, 540);
    }
}
