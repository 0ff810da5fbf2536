using System.CommandLine;
using System.Globalization;
using AdaTapeDml.Backends.TorchSharp.Inference;
using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Core.Tasks;
using AdaTapeDml.Pipelines.Heatmap;
using AdaTapeDml.Pipelines.Specs;
using AdaTapeDml.Pipelines.Training;

namespace AdaTapeDml.Cli.Commands;

/// <summary>`adatape heatmap --run DIR [--input IDX] [--by-class] [--weighting count|weight] [--out DIR] [--limit N]`: how
/// often each bank position is read (<see cref="SelectionHeatmap"/>), as heatmap.png and heatmap.csv.</summary>
public static class HeatmapCommand
{
    public static Command Create(CliContext context)
    {
        var runOption = new Option<string>("--run") { Description = "Run folder of a trained AdaTape model.", Required = true };
        var input = new Option<string?>("--input") { Description = "An IDX image file to count over (default: the task's held-out set)." };
        var byClass = new Option<bool>("--by-class") { Description = "One panel per class (held-out set only: it needs labels)." };
        var weighting = new Option<string>("--weighting")
        {
            Description = "count: each candidate a step merges counts 1 (selection frequency, the default); weight: it adds its softmax weight.",
            DefaultValueFactory = _ => "count",
        };
        var output = new Option<string?>("--out") { Description = "Folder for heatmap.png and heatmap.csv (default: the run folder)." };
        var limit = new Option<int?>("--limit") { Description = "Count only the first N samples." };
        var command = new Command("heatmap", "Count how often each bank position is read over a set of samples: heatmap.png and heatmap.csv.")
            { runOption, input, byClass, weighting, output, limit };
        command.SetAction(parse =>
        {
            var run = new RunDirectory(parse.GetValue(runOption)!);
            if (!File.Exists(run.Weights)) throw new UserError($"--run {run.Root}: no trained weights ({run.Weights})");
            var spec = RunSpecFile.Load(run.Spec) is { IsOk: true } loaded ? loaded.Value! : throw new UserError($"--run {run.Root}: missing or invalid spec.json");
            if (spec.Model is not AdaTapeModelSpec)
                throw new UserError($"--run {run.Root}: its model ({spec.Model.GetType().Name}) has no tape, so nothing is read from a bank; heatmap needs an AdaTape model");
            var weight = parse.GetValue(weighting)!.ToLowerInvariant() switch
            {
                "count" => HeatmapWeighting.Count,
                "weight" => HeatmapWeighting.Weight,
                var other => throw new UserError($"--weighting {other}: allowed: count, weight"),
            };
            if (parse.GetValue(limit) is < 1) throw new UserError($"--limit {parse.GetValue(limit)}: must be >= 1");
            var inputPath = parse.GetValue(input);
            if (inputPath is not null && parse.GetValue(byClass)) throw new UserError("--by-class needs labels, which an --input file has none of; drop --input to count over the held-out set");
            var (inputs, count, labels, source) = inputPath is null ? HeldOut(spec) : FromFile(inputPath, spec.Task);
            if (parse.GetValue(limit) is { } n && n < count)
            {
                (inputs, count) = (inputs[..(n * (inputs.Length / count))], n);
                labels = labels?[..n];
            }
            var folder = OutputFolder.Prepare(parse.GetValue(output) ?? run.Root, "--out");
            using var session = new TorchInferenceSession(run.Weights, traceReads: true);
            var heatmap = SelectionHeatmap.Compute(session, inputs, count, labels, weight);
            var title = string.Create(CultureInfo.InvariantCulture, $"{spec.Name}: bank reads over {count} samples of {source}");
            var (csv, png) = SelectionHeatmapFiles.Write(heatmap, folder, title, parse.GetValue(byClass));
            var busiest = heatmap.Total.Select((v, i) => (v, i)).MaxBy(p => p.v);
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{count} samples, {heatmap.Total.Sum() / count:F2} {SelectionHeatmapFiles.Unit(heatmap)} per sample; most read: {heatmap.Grid.What} {busiest.i} (row {busiest.i / heatmap.Grid.Columns}, column {busiest.i % heatmap.Grid.Columns})"));
            if (BlankLine(heatmap.BlankShares) is { } blank) context.Out.WriteLine(blank);
            context.Out.WriteLine($"wrote {png}, {csv}");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The blank-patch line of an image bank's heatmap (null for other banks).</summary>
    internal static string? BlankLine((double OfReads, double OfEntries)? shares) => shares is { } s
        ? string.Create(CultureInfo.InvariantCulture, $"blank fine patches (every pixel 0): {s.OfEntries:P1} of the bank entries, {s.OfReads:P1} of the reads")
        : null;

    /// <summary>The task's whole held-out set with its labels.</summary>
    private static (float[], int, int[]?, string) HeldOut(RunSpec spec)
    {
        var (inputs, count, labels) = SelectionHeatmap.HeldOutOf(EvalCommand.LoadData(spec));
        return (inputs, count, labels, "the held-out set");
    }

    /// <summary>The images of an IDX file (image tasks only); a missing or malformed file is one line, exit 2.</summary>
    private static (float[], int, int[]?, string) FromFile(string path, TaskSpec task)
    {
        if (task is not FashionMnistTaskSpec) throw new UserError($"--input: an IDX image file fits an image model; this run's task is {task.GetType().Name}");
        try
        {
            var images = IdxImages.Load(path);
            return (images, IdxImages.CountOf(images), null, Path.GetFileName(path));
        }
        catch (InvalidDataException e) { throw new UserError($"--input {e.Message}"); }
    }
}
