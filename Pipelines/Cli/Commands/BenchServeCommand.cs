using System.CommandLine;
using AdaTapeDml.Pipelines.Inference;
using AdaTapeDml.Server;
using static System.FormattableString;

namespace AdaTapeDml.Cli.Commands;

/// <summary>`adatape bench serve --run DIR`: the server under load on loopback (concurrent HTTP clients, random batch
/// sizes), every answer checked against the in-process pipeline, latency, samples/s next to the in-process pipeline's,
/// and memory after warm-up against after the run.</summary>
public static class BenchServeCommand
{
    public static Command Create(CliContext context)
    {
        var runOption = new Option<string>("--run") { Description = "Run folder of a trained parity model.", Required = true };
        var backend = new Option<string>("--backend") { Description = "Inference backend: torch or onnx.", DefaultValueFactory = _ => "torch" };
        var clients = new Option<int>("--clients") { Description = "Concurrent HTTP clients.", DefaultValueFactory = _ => 16 };
        var requests = new Option<int>("--requests") { Description = "Requests in the measured run (after a warm-up of a tenth, at most 1000).", DefaultValueFactory = _ => 20_000 };
        var maxBatch = new Option<int>("--max-batch") { Description = "Samples per micro-batch of the pipeline.", DefaultValueFactory = _ => 64 };
        var command = new Command("serve", "Load test of `adatape serve` on loopback against the in-process pipeline.") { runOption, backend, clients, requests, maxBatch };
        command.SetAction(parse =>
        {
            var (clientCount, requestCount, batch) = (parse.GetValue(clients), parse.GetValue(requests), parse.GetValue(maxBatch));
            if (clientCount < 1 || requestCount < 1 || batch < 1) throw new UserError("--clients, --requests and --max-batch must be >= 1");
            var model = ServedRuns.From(context, parse.GetValue(runOption)!, null, parse.GetValue(backend)!, "cpu", 0);
            var options = new ServerOptions(Port: 0, MaxInFlight: clientCount, Pipeline: new ElasticOptions(MaxBatchSize: batch, MaxInFlight: Math.Max(1024, batch)));
            ServeBenchmark.Result r;
            try { r = ServeBenchmark.RunAsync(model, options, clientCount, requestCount).GetAwaiter().GetResult(); }
            catch (ArgumentException e) { throw new UserError(e.Message); }
            context.Out.WriteLine(Invariant($"{model.Name} on {model.Platform} at {r.Address}: {r.Requests} requests ({r.Samples} samples, batch 1-32) from {clientCount} clients"));
            context.Out.WriteLine(Invariant($"answers: {r.Requests - r.Lost} of {r.Requests} ({r.Lost} lost{Statuses(r)}), {r.Wrong} wrong; each matched to its request id and checked against the in-process pipeline"));
            foreach (var (status, answer) in r.FirstLostAnswer) context.Out.WriteLine(Invariant($"first HTTP {status} answer: {answer}"));
            context.Out.WriteLine(Invariant($"latency per request: p50 {r.P50.TotalMilliseconds:F1} ms, p99 {r.P99.TotalMilliseconds:F1} ms"));
            context.Out.WriteLine(Invariant($"samples/s: server {r.ServerSamplesPerSecond:F0}, in-process pipeline (same clients and batches) {r.InProcessSamplesPerSecond:F0}, server/in-process {r.Overhead:P0}"));
            context.Out.WriteLine(Invariant($"memory: {r.MemoryAfterWarmUp / 1e6:F0} MB after warm-up, {r.MemoryAfterRun / 1e6:F0} MB after the run ({r.MemoryGrowth:+0.0%;-0.0%})"));
            return r.Lost == 0 && r.Wrong == 0 ? ExitCodes.Ok : ExitCodes.Failure;
        });
        return command;
    }

    private static string Statuses(ServeBenchmark.Result r) =>
        r.Lost == 0 ? "" : ": " + string.Join(", ", r.LostStatuses.Select(s => Invariant($"{s.Value} x HTTP {s.Key}")));
}
