using System.CommandLine;
using AdaTapeDml.Backends.TorchSharp.Inference;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Pipelines;
using AdaTapeDml.Pipelines.Experiments;

namespace AdaTapeDml.Cli.Commands;

/// <summary>`adatape images`: the paper's image comparison on Fashion-MNIST. Trains every listed model with one recipe,
/// evaluates on the 10,000 test images, times inference on both backends, sweeps the adaptive models' compute knobs and
/// writes report.md, results.json and the plots (the library's experiment runner does the work; this command parses and
/// prints). Re-running with the same --out resumes unfinished models and reuses finished ones.</summary>
public static class ImagesCommand
{
    public static Command Create(CliContext context)
    {
        var models = new Option<string>("--models") { Description = $"Comma-separated models: {string.Join(", ", ImagesExperiment.ModelNames)}.", DefaultValueFactory = _ => string.Join(",", ImagesExperiment.ModelNames) };
        var budget = new Option<double>("--budget-minutes") { Description = "Wall-clock safety cap for all models of a seed together, split equally (models train a set number of steps).", DefaultValueFactory = _ => ImagesExperiment.DefaultBudgetMinutes };
        var output = new Option<string>("--out") { Description = "Output folder.", DefaultValueFactory = _ => Path.Combine("runs", "images") };
        var seed = new Option<string>("--seed") { Description = "Seed of initialisation and data order, or comma-separated seeds: with several, each trains in OUT/seed-S and OUT's report shows the means.", DefaultValueFactory = _ => "0" };
        var steps = new Option<int?>("--steps") { Description = $"Optimizer steps per model (default {ImagesExperiment.DefaultSteps}); small values make a quick check." };
        var dataDir = new Option<string>("--data-dir") { Description = "Folder with the Fashion-MNIST IDX files.", DefaultValueFactory = _ => FashionMnistTaskSpec.DebianDataDir };
        var device = DeviceOption.Create();
        var command = new Command("images", "Train AdaTape, ViT, UT and A-ViT on Fashion-MNIST and compare accuracy, FLOPs and throughput.") { models, budget, output, seed, steps, dataDir, device };
        command.SetAction((parse, cancel) =>
        {
            var names = ExperimentConsole.ParseModels(parse.GetValue(models)!, ImagesExperiment.ModelNames);
            var seeds = ExperimentConsole.ParseSeeds(parse.GetValue(seed)!);
            var total = TrainCommand.Budget(parse.GetValue(budget));
            var stepCount = parse.GetValue(steps) ?? ImagesExperiment.DefaultSteps;
            if (stepCount < 1) throw new UserError($"--steps = {stepCount}: must be >= 1");
            var folder = parse.GetValue(dataDir)!;
            if (!Directory.Exists(folder))
                throw new UserError($"--data-dir {folder}: no such folder; install Fashion-MNIST with: apt-get install dataset-fashion-mnist");
            var on = DeviceOption.Resolve(parse, device);
            var root = OutputFolder.Prepare(parse.GetValue(output)!, "--out");
            var flops = FlopsPlot.Create("Fashion-MNIST: test accuracy vs forward FLOPs");
            var outcome = SeededExperiment.Run(seeds,
                (s, runFolder) => ImagesExperiment.Plan(names, stepCount, s, folder, runFolder, total / names.Count, [ExperimentWiring.OnnxCpu, ExperimentWiring.Torch],
                    [flops, AccuracyPlot.Create("Fashion-MNIST: test accuracy vs training time", 0)]),
                root, [flops], ExperimentWiring.Create(context, on, cancel));
            ExperimentConsole.Print(outcome, context);
            var data = EvalCommand.LoadData(outcome.Plan.Entries[0].Spec);                      // the test set does not depend on the seed
            foreach (var run in outcome.PerSeed)
                if (ImagesHeatmap.Write(run.Plan, data, weights => new TorchInferenceSession(weights, device: on, traceReads: true)) is { } heatmap)
                {
                    context.Out.WriteLine($"heatmap of the adatape model's bank reads: {heatmap.Png}, {heatmap.Csv}");
                    if (HeatmapCommand.BlankLine(heatmap.BlankShares) is { } blank) context.Out.WriteLine(blank);
                }
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }
}
