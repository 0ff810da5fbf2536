using System.Globalization;
using AdaTapeDml.Pipelines;
using AdaTapeDml.Pipelines.Training;

namespace AdaTapeDml.Cli;

/// <summary>PNG plot of held-out accuracy against training time, one line per run (from each run's evals.csv).</summary>
public static class AccuracyPlot
{
    public static void Write(IReadOnlyList<(string Name, RunDirectory Run)> runs, string path)
    {
        var plot = new ScottPlot.Plot();
        foreach (var (name, run) in runs)
        {
            if (!File.Exists(run.Evaluations)) continue;
            var rows = File.ReadLines(run.Evaluations).Skip(1).Select(l => l.Split(',')).ToArray();
            var seconds = rows.Select(r => double.Parse(r[1], CultureInfo.InvariantCulture)).ToArray();
            var accuracy = rows.Select(r => 100 * double.Parse(r[2], CultureInfo.InvariantCulture)).ToArray();
            var line = plot.Add.Scatter(seconds, accuracy);
            line.LegendText = name;
        }
        plot.Title("Parity: held-out accuracy vs training time");
        plot.XLabel("training time (s)");
        plot.YLabel("held-out accuracy (%)");
        plot.Axes.SetLimitsY(40, 101);
        plot.ShowLegend();
        var temp = path + ".tmp.png";
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        plot.SavePng(temp, 900, 540);
        File.Move(temp, path, overwrite: true);
    }
}
