using System.CommandLine;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Core.Validation;
using AdaTapeDml.Pipelines;
using AdaTapeDml.Pipelines.Experiments;

namespace AdaTapeDml.Cli.Commands;

/// <summary>`adatape parity`: the paper's headline experiment. Trains AdaTape and the two baselines on parity, then
/// writes a comparison table (report.md), results.json and a plot of held-out accuracy against training time.
/// Re-running with the same --out resumes unfinished models from their checkpoints and reuses finished ones
/// (the experiment runner of the library does all of it; this command parses and prints).</summary>
public static class ParityCommand
{
    public static Command Create(CliContext context)
    {
        var seqLen = new Option<int>("--seq-len") { Description = "Parity sequence length.", DefaultValueFactory = _ => 16 };
        var models = new Option<string>("--models") { Description = $"Comma-separated models: {string.Join(", ", ParityExperiment.ModelNames)}.", DefaultValueFactory = _ => string.Join(",", ParityExperiment.ModelNames) };
        var output = new Option<string>("--out") { Description = "Output folder.", DefaultValueFactory = _ => Path.Combine("runs", "parity") };
        var budget = new Option<double>("--budget-minutes") { Description = "Wall-clock budget for all models of a seed together, split equally.", DefaultValueFactory = _ => 18 };
        var steps = new Option<int?>("--steps") { Description = "Optimizer steps per model (default 4000)." };
        var seed = new Option<string>("--seed") { Description = "Seed of initialisation and training stream, or comma-separated seeds: with several, each trains in OUT/seed-S and OUT's report shows the means.", DefaultValueFactory = _ => "0" };
        var device = DeviceOption.Create();
        var command = new Command("parity", "Train AdaTape, a Transformer and a Universal Transformer on parity and compare them.") { seqLen, models, output, budget, steps, seed, device };
        command.SetAction((parse, cancel) =>
        {
            var names = ParseModels(parse.GetValue(models)!);
            var seeds = ExperimentConsole.ParseSeeds(parse.GetValue(seed)!);
            var total = TrainCommand.Budget(parse.GetValue(budget));
            var length = parse.GetValue(seqLen);
            var stepCount = parse.GetValue(steps);
            if (stepCount is < 1) throw new UserError($"--steps = {stepCount}: must be >= 1");
            names.ForEach(n => ValidSpecFor(n, length, stepCount));                               // a --seq-len no model can have fails first
            var on = DeviceOption.Resolve(parse, device);
            var root = OutputFolder.Prepare(parse.GetValue(output)!, "--out");
            var outcome = SeededExperiment.Run(seeds,
                (s, folder) => ParityExperiment.Plan(names.Select(n => ValidSpecFor(n, length, stepCount, s)).ToList(), names, folder, total / names.Count,
                    [AccuracyPlot.Create($"Parity {length}: held-out accuracy vs training time", 40)]),
                root, [], ExperimentWiring.Create(context, on, cancel));
            ExperimentConsole.Print(outcome, context);
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    /// <summary>The experiment's spec of one model, or a one-line error for a --seq-len it cannot have (shared with
    /// `bench train`).</summary>
    internal static RunSpec ValidSpecFor(string name, int seqLen, int? steps, int seed = 0)
    {
        var spec = ParityExperiment.SpecFor(name, seqLen, steps, seed);
        var errors = SpecValidator.Validate(spec);
        return errors.Count == 0 ? spec : throw new UserError($"--seq-len {seqLen}: {errors[0]}");
    }

    /// <summary>Parses a comma-separated model list, rejecting unknown names (shared by `parity` and `bench train`).</summary>
    internal static List<string> ParseModels(string text) => ExperimentConsole.ParseModels(text, ParityExperiment.ModelNames);
}
