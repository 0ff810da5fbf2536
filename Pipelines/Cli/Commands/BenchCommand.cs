using System.CommandLine;
using System.Diagnostics;
using AdaTapeDml.Backends.TorchSharp.Devices;
using AdaTapeDml.Backends.TorchSharp.Training;
using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Cost;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Core.Tasks;
using AdaTapeDml.Pipelines.Experiments;
using static System.FormattableString;

namespace AdaTapeDml.Cli.Commands;

/// <summary>`adatape bench train`: achieved FLOP rate of training steps against the machine's matmul rate, same process.</summary>
public static class BenchCommand
{
    public static Command Create(CliContext context)
    {
        var bench = new Command("bench", "Benchmarks that print their figures.");
        bench.Subcommands.Add(Train(context));
        bench.Subcommands.Add(BenchElasticCommand.Create(context));
        bench.Subcommands.Add(BenchInferCommand.Create(context));
        bench.Subcommands.Add(BenchServeCommand.Create(context));
        return bench;
    }

    private static Command Train(CliContext context)
    {
        var seqLen = new Option<int>("--seq-len") { Description = "Parity length of the benchmarked models.", DefaultValueFactory = _ => 16 };
        var steps = new Option<int>("--steps") { Description = "Timed steps per model (after 5 warm-up steps).", DefaultValueFactory = _ => 30 };
        var models = new Option<string>("--models") { Description = "Models to time.", DefaultValueFactory = _ => "adatape,transformer,ut" };
        var batch = new Option<int?>("--batch") { Description = "Batch size (default: each model's default)." };
        var device = DeviceOption.Create();
        var command = new Command("train", "Time training steps; report achieved FLOP/s (cost model x 3) vs fp32 matmul FLOP/s.") { seqLen, steps, models, batch, device };
        command.SetAction(parse =>
        {
            var timed = parse.GetValue(steps);
            if (timed < 1) throw new UserError($"--steps = {timed}: must be >= 1");
            if (parse.GetValue(batch) is < 1) throw new UserError($"--batch = {parse.GetValue(batch)}: must be >= 1");
            var names = ParityCommand.ParseModels(parse.GetValue(models)!);
            var specs = names.Select(n => ParityCommand.ValidSpecFor(n, parse.GetValue(seqLen), steps: 1_000_000)).ToList();
            var on = DeviceOption.Resolve(parse, device);
            var peak = MatmulRate.Measure(device: TorchDevices.Resolve(on));
            context.Out.WriteLine(Invariant($"fp32 matmul 2048x2048 on {on}: {peak:F1} GFLOP/s ({Environment.ProcessorCount} cores)"));
            context.Out.WriteLine("model        batch  ms/step  tape/steps  train GFLOP/step  achieved GFLOP/s  ratio to matmul");
            foreach (var (name, parity) in names.Zip(specs))
            {
                var spec = parse.GetValue(batch) is { } b ? parity with { Training = parity.Training with { BatchSize = b } } : parity;
                var (msPerStep, adaptive, flopsPerStep) = TimeSteps(spec, timed, on);
                var achieved = flopsPerStep / (msPerStep / 1000) / 1e9;
                context.Out.WriteLine(Invariant($"{name,-12} {spec.Training.BatchSize,5} {msPerStep,8:F1} {adaptive,11:F2} {flopsPerStep / 1e9,17:F3} {achieved,17:F1} {achieved / peak,16:F3}"));
            }
            peak = MatmulRate.Measure(device: TorchDevices.Resolve(on));
            context.Out.WriteLine(Invariant($"fp32 matmul again after the models: {peak:F1} GFLOP/s (drift shows machine noise)"));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Mean time of a training step, the mean adapted quantity (tape length or UT steps), and the step's
    /// FLOPs: 3 x forward FLOPs (forward + backward) from the cost model, summed over the batch.</summary>
    private static (double MsPerStep, double Adaptive, double FlopsPerStep) TimeSteps(RunSpec spec, int steps, ComputeDevice device)
    {
        using var trainer = new TorchTrainer(spec, DataSources.For(spec.Task, spec.Training.Seed), device: device);
        for (var i = 0; i < 5; i++) trainer.TrainStep();
        var clock = Stopwatch.StartNew();
        var flops = 0.0;
        var adaptive = 0.0;
        for (var i = 0; i < steps; i++)
        {
            var m = trainer.TrainStep();
            adaptive += m.MeanTape;
            flops += 3.0 * m.Examples * spec.Model switch
            {
                AdaTapeModelSpec => Interpolate(l => CostModel.Forward(spec.Model, spec.Task, l).Total, m.MeanTape),
                UniversalTransformerModelSpec => Interpolate(s => CostModel.Forward(spec.Model, spec.Task, utSteps: Math.Max(1, s)).Total, m.MeanTape),
                _ => CostModel.Forward(spec.Model, spec.Task).Total,
            };
        }
        var ms = clock.Elapsed.TotalMilliseconds / steps;
        return (ms, adaptive / steps, flops / steps);
    }

    /// <summary>Cost at a fractional tape length or step count, interpolated between the neighbouring integers.</summary>
    private static double Interpolate(Func<int, long> cost, double x)
    {
        var low = (int)Math.Floor(x);
        return cost(low) + (x - low) * (cost(low + 1) - cost(low));
    }
}
