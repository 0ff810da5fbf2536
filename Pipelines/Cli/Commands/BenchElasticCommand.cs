using System.CommandLine;
using System.Globalization;
using AdaTapeDml.Pipelines.Inference;
using AdaTapeDml.Pipelines.Training;
using static System.FormattableString;

namespace AdaTapeDml.Cli.Commands;

/// <summary>`adatape bench elastic --run DIR`: padded vs elastic samples/s on the same checkpoint, side by side, with
/// the cost model's expected speedup and the READ share; `--load N` also pushes N requests from 8 producers through the
/// bounded app entry point and reports lost/duplicated/mismatched answers and memory growth after warm-up.</summary>
public static class BenchElasticCommand
{
    public static Command Create(CliContext context)
    {
        var runOption = new Option<string>("--run") { Description = "Run folder of a trained AdaTape model.", Required = true };
        var samples = new Option<int>("--samples") { Description = "Held-out samples per round.", DefaultValueFactory = _ => 4096 };
        var rounds = new Option<int>("--rounds") { Description = "Alternating padded/elastic rounds (best of each).", DefaultValueFactory = _ => 3 };
        var batch = new Option<int>("--batch") { Description = "Micro-batch size of both modes.", DefaultValueFactory = _ => 64 };
        var backend = new Option<string>("--backend") { Description = "Inference backend: torch or onnx (ONNX Runtime CPU).", DefaultValueFactory = _ => "torch" };
        var groupWidth = new Option<int>("--group-width") { Description = "Tape lengths per ENCODE group of the grouped mode (1 = exact length; wider pads within a group to merge small groups).", DefaultValueFactory = _ => 1 };
        var modes = new Option<string>("--modes") { Description = "Elastic execution modes to measure, comma-separated: auto, packed, padded, grouped.", DefaultValueFactory = _ => "auto,packed,padded,grouped" };
        var load = new Option<int>("--load") { Description = "Requests for the load and memory check (0 = skip).", DefaultValueFactory = _ => 0 };
        var command = new Command("elastic", "Padded vs elastic inference throughput, expected vs measured speedup.") { runOption, backend, samples, rounds, batch, groupWidth, modes, load };
        command.SetAction(parse =>
        {
            var run = new RunDirectory(parse.GetValue(runOption)!);
            if (!File.Exists(run.Weights)) throw new UserError($"--run {run.Root}: no trained weights ({run.Weights})");
            var (count, roundCount, batchSize, loadCount) = (parse.GetValue(samples), parse.GetValue(rounds), parse.GetValue(batch), parse.GetValue(load));
            var width = parse.GetValue(groupWidth);
            if (count < 1 || roundCount < 1 || batchSize < 1 || width < 1 || loadCount < 0) throw new UserError("--samples, --rounds, --batch and --group-width must be >= 1, --load >= 0");
            using var session = new TimedSession(CliBackends.SessionsFor(context, new InferenceConfig(run.Weights, parse.GetValue(backend)!))());
            if (!session.IsElastic) throw new UserError($"--run {run.Root}: {session.Spec.Model.GetType().Name} has no tape: nothing elastic to measure");
            var requests = HeldOutRequests.Take(EvalCommand.LoadData(session.Spec), count).Requests;
            var options = new ElasticOptions(MaxBatchSize: batchSize, Grouping: new LengthGrouping(width), MaxInFlight: Math.Max(batchSize, 1024));
            var executions = parse.GetValue(modes)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(ParseExecution).Distinct().ToList();
            var r = ElasticBenchmark.Measure(session, requests, options, roundCount, executions);
            var spec = (Core.Specs.AdaTapeModelSpec)session.Spec.Model;
            context.Out.WriteLine(Invariant($"{session.Spec.Name} on {session.Backend}: {count} held-out samples, batch {batchSize}, mean tape {r.MeanTape:F2} of {spec.Tape.NumTapeTokens}, cost-model speedup {r.ExpectedSpeedup:F2}x, READ {r.ReadFlopsShare:P1} of the elastic FLOPs"));
            context.Out.WriteLine(Invariant($"{"padded (Run: all T slots)",-28} {r.PaddedPerSecond,9:F0} samples/s"));
            foreach (var m in r.Modes)
            {
                var speedup = m.PerSecond / r.PaddedPerSecond;
                var (read, encode, rest) = m.Profile;
                context.Out.WriteLine(Invariant($"{"elastic " + Name(m.Execution),-28} {m.PerSecond,9:F0} samples/s  {speedup:F2}x padded = {speedup / r.ExpectedSpeedup:P0} of expected  READ {m.ReadShare:P1} of session time ({m.ReadShare / r.ReadFlopsShare:F1}x its FLOP share)  ENCODE calls packed {m.Chosen.Packed}, padded {m.Chosen.Padded}  max |logit diff| {m.MaxAbsLogitDifference:E1}"));
                var expected = m.Execution == ElasticExecution.Auto ? $" (planner expects packed {Rate(m.PlannerRates.Packed)}, padded {Rate(m.PlannerRates.Padded)}, after {m.WarmUp} warm-up micro-batches)" : "";
                context.Out.WriteLine(Invariant($"{"",-28} wall {(read + encode + rest).TotalMilliseconds:F0} ms: READ {read.TotalMilliseconds:F0}, ENCODE {encode.TotalMilliseconds:F0}, pipeline {rest.TotalMilliseconds:F0}; ENCODE GFLOP/s packed {Rate(m.EncodeRates.Packed)}, padded {Rate(m.EncodeRates.Padded)}{expected}"));
            }
            if (loadCount > 0)
            {
                var l = ElasticLoadCheck.Run(session, requests, loadCount, options);
                context.Out.WriteLine(Invariant($"load: {l.Requests} requests from {ElasticLoadCheck.Producers} producers in {l.Elapsed.TotalSeconds:F1} s, {l.Answered} answered, {l.Wrong} wrong or mismatched"));
                context.Out.WriteLine(Invariant($"memory: {l.MemoryAfterWarmUp / 1e6:F0} MB after warm-up, {l.MemoryAfter / 1e6:F0} MB after the run ({l.MemoryGrowth:+0.0%;-0.0%}); live .NET objects {l.ManagedAfterWarmUp / 1e6:F0} MB -> {l.ManagedAfter / 1e6:F0} MB"));
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static ElasticExecution ParseExecution(string name) => name switch
    {
        "auto" => ElasticExecution.Auto,
        "packed" => ElasticExecution.Packed,
        "padded" => ElasticExecution.Padded,
        "grouped" => ElasticExecution.Grouped,
        _ => throw new UserError($"--modes: unknown mode '{name}'; allowed: auto, packed, padded, grouped"),
    };

    private static string Name(ElasticExecution execution) => execution switch
    {
        ElasticExecution.Auto => "auto (chosen per batch)",
        ElasticExecution.Packed => "packed",
        ElasticExecution.Padded => "padded per batch",
        _ => "grouped by length",
    };

    private static string Rate(double? flopsPerSecond) => flopsPerSecond is { } r ? (r / 1e9).ToString("F1", CultureInfo.InvariantCulture) : "-";
}
