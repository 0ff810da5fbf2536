using System.CommandLine;
using System.Globalization;
using AdaTapeDml.Backends.TorchSharp.Training;
using AdaTapeDml.Core.Tasks;
using AdaTapeDml.Pipelines.Specs;
using AdaTapeDml.Pipelines.Training;

namespace AdaTapeDml.Cli.Commands;

/// <summary>`adatape eval --run DIR`: held-out accuracy and tape statistics of a run's weights.</summary>
public static class EvalCommand
{
    public static Command Create(CliContext context)
    {
        var runOption = new Option<string>("--run") { Description = "Run folder (from `adatape train` or `adatape parity`).", Required = true };
        var device = DeviceOption.Create();
        var command = new Command("eval", "Evaluate a trained run on its held-out set.") { runOption, device };
        command.SetAction(parse =>
        {
            var on = DeviceOption.Resolve(parse, device);
            var run = new RunDirectory(parse.GetValue(runOption)!);
            if (!Directory.Exists(run.Root)) throw new UserError($"--run {run.Root}: no such folder");
            var specResult = RunSpecFile.Load(run.Spec);
            if (!specResult.IsOk) throw new UserError($"--run {run.Root}: {specResult.Errors[0]}");
            var weights = File.Exists(run.Weights) ? run.Weights : run.Checkpoint;
            using var loaded = TorchModels.Load(weights, specResult.Value, on);
            var data = LoadData(loaded.Spec);
            var result = TorchEvaluation.Evaluate(loaded.Model, loaded.Spec, data, loaded.Step);
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{loaded.Spec.Name} at step {loaded.Step}: held-out accuracy {result.Accuracy:P2} on {result.Examples} examples, loss {result.Loss:F4}, tape {result.MeanTape:F2} ± {result.StdTape:F2}"));
            if (result.TapeHistogram.Count > 0)
                context.Out.WriteLine("tape length histogram: " + string.Join(" ", result.TapeHistogram.Select((c, l) => (c, l)).Where(p => p.c > 0).Select(p => $"{p.l}:{p.c}")));
            return ExitCodes.Ok;
        });
        return command;
    }

    internal static Core.Contracts.IDataSource LoadData(Core.Specs.RunSpec spec)
    {
        try { return DataSources.For(spec.Task, spec.Training.Seed); }
        catch (InvalidDataException e) { throw new UserError(e.Message); }
    }
}
