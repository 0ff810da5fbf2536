using System.CommandLine;
using System.Globalization;
using System.Text;
using AdaTapeDml.Backends.TorchSharp.Inference;
using AdaTapeDml.Pipelines.Experiments;
using AdaTapeDml.Pipelines.Training;
using static System.FormattableString;

namespace AdaTapeDml.Cli.Commands;

/// <summary>`adatape knob --run DIR [--knob NAME]`: sweeps an inference-time compute knob of a trained AdaTape model
/// (<see cref="ComputeKnobSweep"/>) and writes held-out accuracy against mean FLOPs per sample (table and plot).</summary>
public static class KnobCommand
{
    public static Command Create(CliContext context)
    {
        var runOption = new Option<string>("--run") { Description = "Run folder of a trained AdaTape model.", Required = true };
        var knobOption = new Option<string>("--knob")
        {
            Description = $"Which knob: {string.Join(" or ", ComputeKnobs.Names.Select(n => n.Name))}. act-epsilon-hold-k moves the halting threshold and keeps k, the candidates merged per step, as trained; act-epsilon lets k = floor(T / tau) move with it.",
            DefaultValueFactory = _ => ComputeKnobs.Names[0].Name,
        };
        var values = new Option<string?>("--act-epsilon") { Description = "Comma-separated thresholds to try (default: 0.5 to 4 in steps of 0.5, those valid for the model)." };
        var output = new Option<string?>("--out") { Description = "Folder for knob.md, knob.csv and knob.png (default: the run folder)." };
        var command = new Command("knob", "Sweep a compute knob at inference: accuracy vs mean FLOPs per sample.") { runOption, knobOption, values, output };
        command.SetAction(parse =>
        {
            var run = new RunDirectory(parse.GetValue(runOption)!);
            if (!File.Exists(run.Weights)) throw new UserError($"--run {run.Root}: no trained weights ({run.Weights}); train the run to completion first");
            var knobName = parse.GetValue(knobOption)!;
            var knob = ComputeKnobs.Names.FirstOrDefault(n => n.Name.Equals(knobName, StringComparison.OrdinalIgnoreCase)) is { Name: not null } found
                ? found.Knob : throw new UserError($"--knob {knobName}: allowed: {string.Join(", ", ComputeKnobs.Names.Select(n => n.Name))}");
            var taus = ParseTaus(parse.GetValue(values));
            var folder = OutputFolder.Prepare(parse.GetValue(output) ?? run.Root, "--out");
            using var trained = new TorchInferenceSession(run.Weights);
            if (!trained.IsElastic) throw new UserError($"--run {run.Root}: {trained.Spec.Model.GetType().Name} has no tape, so it has no compute knob");
            var data = EvalCommand.LoadData(trained.Spec);
            var rows = new List<KnobPoint>();
            foreach (var point in ComputeKnobSweep.Run(trained.Spec, data, tape => new TorchInferenceSession(run.Weights, tape), knob,
                         taus ?? ComputeKnobSweep.DefaultValues, skipInvalid: taus is null))
            {
                rows.Add(point);
                context.Out.WriteLine(Invariant($"actEpsilon {point.Knob,4:F2} (k {point.Candidates}): accuracy {point.Accuracy:P2}, tape {point.MeanTape:F2}, {point.Flops:N0} FLOPs/sample"));
            }
            if (rows.Count == 0) throw new UserError("no valid actEpsilon to try for this model");
            Write(rows, folder, trained.Spec.Name, ComputeKnobs.NameOf(knob));
            context.Out.WriteLine($"wrote {Path.Combine(folder, "knob.md")}, knob.csv, knob.png");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The thresholds of --act-epsilon, or null for the default sweep.</summary>
    private static List<double>? ParseTaus(string? text)
    {
        if (text is null) return null;
        var taus = new List<double>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var tau) || !double.IsFinite(tau) || tau <= 0)
                throw new UserError($"--act-epsilon: '{part}' is not a number > 0");
            taus.Add(tau);
        }
        return taus.Count > 0 ? taus : throw new UserError("--act-epsilon: give at least one value");
    }

    private static void Write(List<KnobPoint> rows, string folder, string name, string knob)
    {
        var csv = new StringBuilder("knob,actEpsilon,candidatesPerStep,accuracy,meanTapeTokens,meanFlopsPerSample\n");
        var md = new StringBuilder($"# Compute knob: {name}\n\nThe trained model read with other halting thresholds (held-out set), knob `{knob}`.\n\n| actEpsilon | k | held-out accuracy | mean tape tokens | mean forward FLOPs/sample |\n|---:|---:|---:|---:|---:|\n");
        foreach (var r in rows)
        {
            csv.Append(Invariant($"{knob},{r.Knob},{r.Candidates},{r.Accuracy},{r.MeanTape},{r.Flops}\n"));
            md.Append(Invariant($"| {r.Knob:F2} | {r.Candidates} | {r.Accuracy:P2} | {r.MeanTape:F2} | {r.Flops:N0} |\n"));
        }
        AtomicFile.WriteAllText(Path.Combine(folder, "knob.csv"), csv.ToString());
        AtomicFile.WriteAllText(Path.Combine(folder, "knob.md"), md.Append("\n![accuracy vs FLOPs](knob.png)\n").ToString());
        var plot = new ScottPlot.Plot();
        var line = plot.Add.Scatter(rows.Select(r => r.Flops / 1e6).ToArray(), rows.Select(r => 100 * r.Accuracy).ToArray());
        line.LegendText = name;
        foreach (var r in rows) plot.Add.Text(Invariant($"τ={r.Knob:G3}"), r.Flops / 1e6, 100 * r.Accuracy);
        plot.Title($"Held-out accuracy vs compute ({knob} sweep)");
        plot.XLabel("mean forward MFLOPs per sample");
        plot.YLabel("held-out accuracy (%)");
        PlotFile.SavePng(plot, Path.Combine(folder, "knob.png"), 900, 540);
    }
}
