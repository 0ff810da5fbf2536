using System.Globalization;
using System.Text;
using System.Text.Json;
using static System.FormattableString;

namespace AdaTapeDml.Pipelines.Experiments;

/// <summary>An experiment's outputs in its root folder: results.json, the plots and report.md (table, plots, notes),
/// each written atomically.</summary>
public static class ExperimentFiles
{
    public const string Results = "results.json";
    public const string Report = "report.md";

    public static void Write(ExperimentPlan plan, IReadOnlyList<ExperimentResult> results)
    {
        AtomicFile.WriteAllText(Path.Combine(plan.Root, Results), JsonSerializer.Serialize(results.ToList(), ResultsJsonContext.Default.ListExperimentResult));
        foreach (var plot in plan.Plots ?? []) plot.Write(plan, results, Path.Combine(plan.Root, plot.FileName));
        var report = new StringBuilder().AppendLine($"# {plan.Title}").AppendLine().Append(Table(results)).AppendLine();
        foreach (var plot in plan.Plots ?? []) report.AppendLine($"![{plot.Caption}]({plot.FileName})").AppendLine();
        report.Append(CurveComparison.Markdown(CurveComparison.Of(results)));
        if (results.Any(r => r.BudgetCut))
            report.AppendLine($"Cut by the wall-clock cap before their set steps: {string.Join(", ", results.Where(r => r.BudgetCut).Select(r => $"{r.Name} ({r.Steps} of {r.TargetSteps} steps)"))}; rerun the same command to resume them.").AppendLine();
        else
            report.AppendLine("No model was cut by the wall-clock cap: each trained its set steps.").AppendLine();
        foreach (var note in plan.Notes) report.AppendLine(note).AppendLine();
        report.AppendLine("Each model's run folder holds its spec, checkpoint, weights, metrics CSVs and result.json.");
        AtomicFile.WriteAllText(Path.Combine(plan.Root, Report), report.ToString());
    }

    /// <summary>The results as a Markdown table (also what the commands print).</summary>
    public static string Table(IReadOnlyList<ExperimentResult> results)
    {
        var backends = results.SelectMany(r => r.Throughput.Select(t => t.Backend)).Distinct().ToList();
        var table = new StringBuilder();
        table.Append("| model | kind | params | held-out accuracy | forward MFLOPs/sample (mean ± std) | adaptive (mean ± std) |");
        foreach (var b in backends) table.Append($" {b} samples/s |");
        table.AppendLine(" train s | steps | epochs | examples seen | cut by cap |");
        table.Append("|---|---|---:|---:|---:|---:|").Append(string.Concat(backends.Select(_ => "---:|"))).AppendLine("---:|---:|---:|---:|---|");
        foreach (var r in results)
        {
            var spread = r.AccuracyStd is { } s ? Invariant($" ± {100 * s:F2}") : "";
            table.Append(Invariant($"| {r.Name} | {r.Kind} | {r.Params:N0} | {r.Accuracy:P2}{spread} | {r.FlopsMean / 1e6:F3} ± {r.FlopsStd / 1e6:F3} | "));
            table.Append(r.Adaptive is { } a ? Invariant($"{a.Name} {a.Mean:F2} ± {a.Std:F2} |") : "— |");
            foreach (var b in backends)
                table.Append(r.Throughput.FirstOrDefault(t => t.Backend == b) is { } t ? Invariant($" {t.ImagesPerSecond:F0} |") : " — |");
            table.AppendLine(Invariant($" {r.TrainSeconds:F0} | {r.Steps} of {r.TargetSteps} | {(r.Epochs is { } e ? e.ToString("F2", CultureInfo.InvariantCulture) : "—")} | {r.ExamplesSeen:N0} | {(r.BudgetCut ? "yes" : "no")} |"));
        }
        return table.ToString();
    }
}
