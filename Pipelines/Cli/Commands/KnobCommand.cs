using System.CommandLine;
using System.Globalization;
using System.Text;
using AdaTapeDml.Backends.TorchSharp.Inference;
using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Cost;
using AdaTapeDml.Core.Tasks;
using AdaTapeDml.Pipelines;
using AdaTapeDml.Pipelines.Training;

namespace AdaTapeDml.Cli.Commands;

/// <summary>`adatape knob --run DIR`: sweeps the inference-time halting threshold of a trained AdaTape model and writes
/// held-out accuracy against mean FLOPs per sample (table and plot): the accuracy/compute trade-off of one model.</summary>
public static class KnobCommand
{
    public static Command Create(CliContext context)
    {
        var runOption = new Option<string>("--run") { Description = "Run folder of a trained AdaTape model.", Required = true };
        var values = new Option<string?>("--act-epsilon") { Description = "Comma-separated thresholds to try (default: 0.5 to 4 in steps of 0.5, those valid for the model)." };
        var output = new Option<string?>("--out") { Description = "Folder for knob.md, knob.csv and knob.png (default: the run folder)." };
        var command = new Command("knob", "Sweep actEpsilon at inference: accuracy vs mean FLOPs per sample.") { runOption, values, output };
        command.SetAction(parse =>
        {
            var run = new RunDirectory(parse.GetValue(runOption)!);
            if (!File.Exists(run.Weights)) throw new UserError($"--run {run.Root}: no trained weights ({run.Weights}); train the run to completion first");
            var taus = ParseTaus(parse.GetValue(values));
            var folder = OutputFolder.Prepare(parse.GetValue(output) ?? run.Root, "--out");
            using var trained = new TorchInferenceSession(run.Weights);
            if (!trained.IsElastic) throw new UserError($"--run {run.Root}: {trained.Spec.Model.GetType().Name} has no tape, so it has no compute knob");
            var data = EvalCommand.LoadData(trained.Spec);
            var explicitList = parse.GetValue(values) is not null;
            var rows = new List<(double Tau, double Accuracy, double MeanTape, double MeanFlops)>();
            foreach (var tau in taus)
            {
                var knob = new TapeOverride(ActEpsilon: tau);
                var changed = knob.ApplyTo(trained.Spec);
                if (!changed.IsOk)
                {
                    if (explicitList) throw new UserError($"--act-epsilon {tau.ToString(CultureInfo.InvariantCulture)}: {changed.Errors[0]}");
                    continue;                                                               // default sweep: skip invalid values
                }
                using var session = new TorchInferenceSession(run.Weights, knob);
                rows.Add(Measure(session, data));
                context.Out.WriteLine(Invariant($"actEpsilon {tau,4:F2}: accuracy {rows[^1].Accuracy:P2}, tape {rows[^1].MeanTape:F2}, {rows[^1].MeanFlops:N0} FLOPs/sample"));
            }
            if (rows.Count == 0) throw new UserError("no valid actEpsilon to try for this model");
            Write(rows, folder, trained.Spec.Name);
            context.Out.WriteLine($"wrote {Path.Combine(folder, "knob.md")}, knob.csv, knob.png");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static List<double> ParseTaus(string? text)
    {
        if (text is null) return Enumerable.Range(1, 8).Select(i => i * 0.5).ToList();
        var taus = new List<double>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var tau) || !double.IsFinite(tau) || tau <= 0)
                throw new UserError($"--act-epsilon: '{part}' is not a number > 0");
            taus.Add(tau);
        }
        return taus.Count > 0 ? taus : throw new UserError("--act-epsilon: give at least one value");
    }

    /// <summary>Held-out accuracy, mean tape length and mean forward FLOPs (cost model at each sample's length).</summary>
    private static (double, double, double, double) Measure(TorchInferenceSession session, IDataSource data)
    {
        var (correct, count, tape, flops) = (0, 0, 0.0, 0.0);
        var classes = session.Spec.Task.NumClasses;
        foreach (var batch in data.EvalBatches(1000))
        {
            var run = session.Run(batch.Inputs, batch.Count);
            var costs = CostModel.PerSample(session.Spec.Model, session.Spec.Task, run.Compute);
            for (var b = 0; b < batch.Count; b++)
            {
                var row = run.Logits.AsSpan(b * classes, classes);
                if (row.IndexOf(MaxOf(row)) == batch.Labels[b]) correct++;
                tape += run.Compute.Statistic(b);
                flops += costs[b];
            }
            count += batch.Count;
        }
        var tau = ((Core.Specs.AdaTapeModelSpec)session.Spec.Model).Tape.ActEpsilon;
        return (tau, correct / (double)count, tape / count, flops / count);
    }

    private static float MaxOf(ReadOnlySpan<float> row)
    {
        var max = float.NegativeInfinity;
        foreach (var v in row) max = Math.Max(max, v);
        return max;
    }

    private static void Write(List<(double Tau, double Accuracy, double MeanTape, double MeanFlops)> rows, string folder, string name)
    {
        var csv = new StringBuilder("actEpsilon,accuracy,meanTapeTokens,meanFlopsPerSample\n");
        var md = new StringBuilder($"# Compute knob: {name}\n\nThe trained model read with other halting thresholds (held-out set).\n\n| actEpsilon | held-out accuracy | mean tape tokens | mean forward FLOPs/sample |\n|---:|---:|---:|---:|\n");
        foreach (var r in rows)
        {
            csv.Append(Invariant($"{r.Tau},{r.Accuracy},{r.MeanTape},{r.MeanFlops}\n"));
            md.Append(Invariant($"| {r.Tau:F2} | {r.Accuracy:P2} | {r.MeanTape:F2} | {r.MeanFlops:N0} |\n"));
        }
        AtomicFile.WriteAllText(Path.Combine(folder, "knob.csv"), csv.ToString());
        AtomicFile.WriteAllText(Path.Combine(folder, "knob.md"), md.Append("\n![accuracy vs FLOPs](knob.png)\n").ToString());
        var plot = new ScottPlot.Plot();
        var line = plot.Add.Scatter(rows.Select(r => r.MeanFlops / 1e6).ToArray(), rows.Select(r => 100 * r.Accuracy).ToArray());
        line.LegendText = name;
        foreach (var r in rows) plot.Add.Text(Invariant($"τ={r.Tau:G3}"), r.MeanFlops / 1e6, 100 * r.Accuracy);
        plot.Title("Held-out accuracy vs compute (actEpsilon sweep)");
        plot.XLabel("mean forward MFLOPs per sample");
        plot.YLabel("held-out accuracy (%)");
        PlotFile.SavePng(plot, Path.Combine(folder, "knob.png"), 900, 540);
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
