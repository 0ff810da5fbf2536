using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Cost;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Core.Validation;
using AdaTapeDml.Pipelines;
using AdaTapeDml.Pipelines.Experiments;
using AdaTapeDml.Pipelines.Specs;
using AdaTapeDml.Pipelines.Training;

namespace AdaTapeDml.Cli.Commands;

/// <summary>`adatape parity`: the paper's headline experiment. Trains AdaTape and the two baselines on parity, then
/// writes a comparison table (report.md), results.json and a plot of held-out accuracy against training time.
/// Re-running with the same --out resumes unfinished models from their checkpoints and reuses finished ones.</summary>
public static class ParityCommand
{
    public static Command Create(CliContext context)
    {
        var seqLen = new Option<int>("--seq-len") { Description = "Parity sequence length.", DefaultValueFactory = _ => 16 };
        var models = new Option<string>("--models") { Description = "Comma-separated models: adatape, transformer, ut.", DefaultValueFactory = _ => "adatape,transformer,ut" };
        var output = new Option<string>("--out") { Description = "Output folder.", DefaultValueFactory = _ => Path.Combine("runs", "parity") };
        var budget = new Option<double>("--budget-minutes") { Description = "Wall-clock budget for all models together, split equally.", DefaultValueFactory = _ => 18 };
        var steps = new Option<int?>("--steps") { Description = "Optimizer steps per model (default 4000)." };
        var device = DeviceOption.Create();
        var command = new Command("parity", "Train AdaTape, a Transformer and a Universal Transformer on parity and compare them.") { seqLen, models, output, budget, steps, device };
        command.SetAction((parse, cancel) =>
        {
            var names = ParseModels(parse.GetValue(models)!);
            var total = TrainCommand.Budget(parse.GetValue(budget));
            var length = parse.GetValue(seqLen);
            var stepCount = parse.GetValue(steps);
            if (stepCount is < 1) throw new UserError($"--steps = {stepCount}: must be >= 1");
            var specs = names.Select(n => ValidSpecFor(n, length, stepCount)).ToList();
            var on = DeviceOption.Resolve(parse, device);
            var root = OutputFolder.Prepare(parse.GetValue(output)!, "--out");
            var perModel = total / names.Count;
            var results = names.Zip(specs).Select(p => RunModel(p.First, p.Second, new RunDirectory(Path.Combine(root, p.First)), perModel, on, context, cancel)).ToList();
            Report(results, root, context);
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    /// <summary>The experiment's spec of one model, or a one-line error for a --seq-len it cannot have (shared with
    /// `bench train`).</summary>
    internal static RunSpec ValidSpecFor(string name, int seqLen, int? steps)
    {
        var spec = ParityExperiment.SpecFor(name, seqLen, steps);
        var errors = SpecValidator.Validate(spec);
        return errors.Count == 0 ? spec : throw new UserError($"--seq-len {seqLen}: {errors[0]}");
    }

    /// <summary>Parses a comma-separated model list, rejecting unknown names (shared by `parity` and `bench train`).</summary>
    internal static List<string> ParseModels(string text)
    {
        var names = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
        var unknown = names.FirstOrDefault(n => !ParityExperiment.ModelNames.Contains(n));
        if (unknown is not null || names.Count == 0)
            throw new UserError($"--models: unknown model '{unknown ?? text}'; allowed: {string.Join(", ", ParityExperiment.ModelNames)}");
        return names.Distinct().ToList();
    }

    private static ModelResult RunModel(string name, RunSpec spec, RunDirectory run, TimeSpan budget, ComputeDevice device, CliContext context, CancellationToken cancel)
    {
        // A folder started with other options is refused, not resumed: its spec.json would describe another schedule
        // than the one the rest of the run trains under (see README, "Resuming").
        var changed = RunSpecFile.DifferencesFromStored(run.Spec, spec);
        if (changed.Count > 0)
            throw new UserError($"--out {run.Root} holds a {name} run started with other options ({string.Join("; ", changed)}); rerun with the --steps and --seq-len it was started with, or choose another --out");
        if (ModelResultFile.Read(run.Result) is { } previous && previous.Steps >= spec.Training.Steps)
        {
            context.Out.WriteLine($"{name}: finished earlier in {run.Root}; reusing its result (delete the folder to retrain)");
            return previous;
        }
        var resume = File.Exists(run.Checkpoint);
        var done = TrainCommand.Train(spec, run, resume, budget, device, context, cancel);
        var result = ToResult(name, spec, done, ParameterCount(run));
        ModelResultFile.Write(run.Result, result);
        return result;
    }

    private static long ParameterCount(RunDirectory run) =>
        Core.Checkpoints.CheckpointFile.Read(run.Weights).Tensors.Values.Sum(t => t.ElementCount);

    private static ModelResult ToResult(string name, RunSpec spec, TrainingCompleted done, long parameters)
    {
        var e = done.Final;
        var task = (ParityTaskSpec)spec.Task;
        return new ModelResult(name, task.SeqLen, parameters, e.Accuracy, e.Examples,
            spec.Model is AdaTapeModelSpec ? e.MeanTape : 0, spec.Model is AdaTapeModelSpec ? e.StdTape : 0,
            MeanFlops(spec, e), done.Elapsed.TotalSeconds, done.Step, done.BudgetExhausted);
    }

    /// <summary>Mean forward FLOPs over the evaluation set: by tape-length histogram (AdaTape) or mean steps (UT).</summary>
    private static long MeanFlops(RunSpec spec, EvalResult e) => spec.Model switch
    {
        AdaTapeModelSpec when e.TapeHistogram.Sum() > 0 =>
            (long)(e.TapeHistogram.Select((count, length) => (double)count * CostModel.Forward(spec.Model, spec.Task, length).Total).Sum() / e.TapeHistogram.Sum()),
        UniversalTransformerModelSpec => CostModel.Forward(spec.Model, spec.Task, utSteps: Math.Max(1, (int)Math.Round(e.MeanTape))).Total,
        _ => CostModel.Forward(spec.Model, spec.Task).Total,
    };

    private static void Report(List<ModelResult> results, string root, CliContext context)
    {
        var table = new StringBuilder();
        table.AppendLine("| model | params | held-out accuracy | tape tokens (mean ± std) | forward FLOPs/sample | train s | steps |");
        table.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
            table.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Name} | {r.Params:N0} | {r.Accuracy:P2} | {r.MeanTapeTokens:F2} ± {r.StdTapeTokens:F2} | {r.FlopsPerSample:N0} | {r.TrainSeconds:F0} | {r.Steps}{(r.BudgetExhausted ? " (budget)" : "")} |"));
        context.Out.WriteLine();
        context.Out.Write(table.ToString());
        AtomicFile.WriteAllText(Path.Combine(root, "results.json"), JsonSerializer.Serialize(results, ResultsJsonContext.Default.ListModelResult));
        var plot = Path.Combine(root, "accuracy-vs-time.png");
        AccuracyPlot.Write(results.Select(r => (r.Name, new RunDirectory(Path.Combine(root, r.Name)))).ToList(), plot);
        var seqLen = results[0].SeqLen;
        var report = new StringBuilder()
            .AppendLine($"# Parity, sequence length {seqLen}").AppendLine()
            .AppendLine("Held-out accuracy on the evaluation stream (examples never seen in training). Chance is 50%.").AppendLine()
            .Append(table).AppendLine()
            .AppendLine("![held-out accuracy against training time](accuracy-vs-time.png)").AppendLine()
            .AppendLine("FLOPs come from the Core cost model (matmul work only), averaged over the evaluation set's tape lengths (AdaTape) or steps (UT).")
            .AppendLine("Each model's run folder holds its spec, checkpoint, weights and metrics CSVs.");
        AtomicFile.WriteAllText(Path.Combine(root, "report.md"), report.ToString());
        context.Out.WriteLine($"report: {Path.Combine(root, "report.md")}, results: {Path.Combine(root, "results.json")}, plot: {plot}");
    }
}
