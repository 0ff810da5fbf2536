using System.CommandLine;
using AdaTapeDml.Backends.TorchSharp.Training;
using AdaTapeDml.Core.Checkpoints;
using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Serialization;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Core.Tasks;
using AdaTapeDml.Pipelines;
using AdaTapeDml.Pipelines.Specs;
using AdaTapeDml.Pipelines.Training;

namespace AdaTapeDml.Cli.Commands;

/// <summary>`adatape train --spec FILE --out DIR [--resume] [--budget-minutes N] [--device D]`.</summary>
public static class TrainCommand
{
    public static Command Create(CliContext context)
    {
        var specOption = new Option<string?>("--spec") { Description = "Run spec JSON (see `adatape spec example`). Not needed with --resume." };
        var outOption = new Option<string>("--out") { Description = "Run folder for checkpoints, metrics and weights.", Required = true };
        var resume = new Option<bool>("--resume") { Description = "Continue the run in --out from its last checkpoint." };
        var budget = new Option<double?>("--budget-minutes") { Description = "Stop (with a checkpoint) after this much wall-clock time." };
        var device = DeviceOption.Create();
        var command = new Command("train", "Train a model from a run spec.") { specOption, outOption, resume, budget, device };
        command.SetAction((parse, cancel) =>
        {
            var run = new RunDirectory(parse.GetValue(outOption)!);
            var spec = ResolveSpec(parse.GetValue(specOption), run, parse.GetValue(resume));
            var minutes = parse.GetValue(budget) is { } m ? Budget(m) : (TimeSpan?)null;
            var on = DeviceOption.Resolve(parse, device);
            OutputFolder.Prepare(run.Root, "--out");
            Train(spec, run, parse.GetValue(resume), minutes, on, context, cancel);
            context.Out.WriteLine($"weights: {run.Weights}");
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    /// <summary>Trains (or resumes) one run on <paramref name="device"/> and renders it; shared with the parity experiment.
    /// The device is not part of the spec: a run may resume on another device.</summary>
    public static TrainingCompleted Train(RunSpec spec, RunDirectory run, bool resume, TimeSpan? budget, ComputeDevice device, CliContext context, CancellationToken cancel)
    {
        var data = EvalCommand.LoadData(spec);
        if (!resume) RunSpecFile.Save(spec, run.Spec);
        var observable = TrainingRun.Observe(
            () => new TorchTrainer(spec, data, resume ? run.Checkpoint : null, device),
            new TrainingOptions(run, budget));
        return TrainingConsole.Run(observable, context, cancel);
    }

    /// <summary>A --budget-minutes value as a time span, or a one-line error (shared with `parity`).</summary>
    internal static TimeSpan Budget(double minutes) =>
        minutes > 0 && minutes < TimeSpan.MaxValue.TotalMinutes
            ? TimeSpan.FromMinutes(minutes)
            : throw new UserError($"--budget-minutes = {minutes.ToString(System.Globalization.CultureInfo.InvariantCulture)}: must be a finite number of minutes > 0");

    private static RunSpec ResolveSpec(string? specPath, RunDirectory run, bool resume)
    {
        if (resume)
        {
            if (!File.Exists(run.Checkpoint)) throw new UserError($"--resume: {run.Checkpoint} does not exist; start the run without --resume");
            var stored = RunSpecFile.Load(run.Spec);
            if (!stored.IsOk) throw new UserError($"--resume: {run.Spec}: {stored.Errors[0]}");
            if (specPath is not null)
            {
                var given = RunSpecFile.Load(specPath);
                if (!given.IsOk) throw new UserError($"invalid spec {specPath}: {given.Errors[0]}");
                var changed = RunSpecDiff.Between(stored.Value!, given.Value!);
                if (changed.Count > 0)
                    throw new UserError($"--spec {specPath} differs from the spec the run in {run.Root} was started with ({string.Join("; ", changed)}); drop --spec to resume it, or start a new run in another --out");
            }
            return stored.Value!;
        }
        if (specPath is null) throw new UserError("--spec is required (or --resume to continue a run)");
        if (File.Exists(run.Checkpoint)) throw new UserError($"{run.Root} already holds a run; use --resume to continue it or choose another --out");
        var result = RunSpecFile.Load(specPath);
        if (!result.IsOk) throw new UserError($"invalid spec {specPath}: {string.Join("; ", result.Errors)}");
        return result.Value!;
    }
}
