using System.CommandLine;
using System.Diagnostics;
using AdaTapeDml.Backends.Onnx.Runtime;
using AdaTapeDml.Backends.TorchSharp.Inference;
using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Pipelines;
using AdaTapeDml.Pipelines.Inference;
using AdaTapeDml.Pipelines.Training;
using static System.FormattableString;

namespace AdaTapeDml.Cli.Commands;

/// <summary>`adatape bench infer --run DIR`: TorchSharp against ONNX Runtime (CPU) on the same checkpoint and the same
/// held-out samples, side by side in one process with alternating rounds: throughput at a batch size (padded Run on both,
/// plus ORT's elastic READ / group / ENCODE for AdaTape) and batch-1 latency (median, p90), with the ratios.</summary>
public static class BenchInferCommand
{
    public static Command Create(CliContext context)
    {
        var runOption = new Option<string>("--run") { Description = "Run folder of a trained model.", Required = true };
        var batch = new Option<int>("--batch") { Description = "Batch size of the throughput measurement.", DefaultValueFactory = _ => 64 };
        var seconds = new Option<double>("--seconds") { Description = "Measuring time (split between throughput and latency).", DefaultValueFactory = _ => 20 };
        var samples = new Option<int>("--samples") { Description = "Held-out samples per throughput round.", DefaultValueFactory = _ => 2048 };
        var threads = new Option<int>("--threads") { Description = "ONNX Runtime intra-op threads (0 = its default).", DefaultValueFactory = _ => 0 };
        var torchThreads = new Option<int>("--torch-threads") { Description = "TorchSharp intra-op threads (0 = its default).", DefaultValueFactory = _ => 0 };
        var profile = new Option<string?>("--profile") { Description = "Path prefix for ONNX Runtime's per-operator profile (JSON)." };
        var command = new Command("infer", "TorchSharp vs ONNX Runtime CPU: throughput and batch-1 latency on one checkpoint.") { runOption, batch, seconds, samples, threads, torchThreads, profile };
        command.SetAction(parse =>
        {
            var run = new RunDirectory(parse.GetValue(runOption)!);
            if (!File.Exists(run.Weights)) throw new UserError($"--run {run.Root}: no trained weights ({run.Weights})");
            var (batchSize, budget, count, threadCount) = (parse.GetValue(batch), parse.GetValue(seconds), parse.GetValue(samples), parse.GetValue(threads));
            if (batchSize < 1 || count < 1 || !(budget > 0 && double.IsFinite(budget)) || threadCount < 0) throw new UserError("--batch and --samples must be >= 1, --seconds > 0, --threads >= 0");
            if (parse.GetValue(torchThreads) is < 0 or > 256) throw new UserError("--torch-threads must lie in 0..256");
            if (parse.GetValue(profile) is { } prefix) OutputFolder.Prepare(Path.GetDirectoryName(Path.GetFullPath(prefix))!, "--profile's folder");
            if (parse.GetValue(torchThreads) > 0) TorchSharp.torch.set_num_threads(parse.GetValue(torchThreads));
            using var torch = new TorchInferenceSession(run.Weights);
            using var onnx = new OnnxInferenceSession(run.Weights, new OnnxOptions(IntraOpThreads: threadCount, ProfilePrefix: parse.GetValue(profile)));
            var requests = HeldOutRequests.Take(EvalCommand.LoadData(torch.Spec), count).Requests;

            var (torchPadded, onnxPadded) = (ElasticBenchmark.Padded(torch, requests, batchSize), ElasticBenchmark.Padded(onnx, requests, batchSize)); // warm-up + parity
            var difference = torchPadded.Zip(onnxPadded).Max(p => p.First.Logits.Zip(p.Second.Logits).Max(z => Math.Abs(z.First - z.Second)));
            var sameLengths = torchPadded.Zip(onnxPadded).Count(p => p.First.TapeLength == p.Second.TapeLength);
            var options = new ElasticOptions(MaxBatchSize: batchSize, MaxInFlight: Math.Max(batchSize, 1024));
            if (onnx.IsElastic) ElasticBenchmark.Elastic(onnx, requests, options);

            var throughput = Throughput(torch, onnx, requests, options, TimeSpan.FromSeconds(budget * 0.6));
            var latency = Latency(torch, onnx, requests, TimeSpan.FromSeconds(budget * 0.4));

            context.Out.WriteLine(Invariant($"{torch.Spec.Name}: {count} held-out samples, batch {batchSize}, ORT intra-op threads {(threadCount == 0 ? "default" : threadCount)}, torch threads {TorchSharp.torch.get_num_threads()}, {throughput.Rounds} alternating rounds (best each)"));
            context.Out.WriteLine(Invariant($"parity: max |logit torch - onnx| {difference:E1}, tape lengths identical {sameLengths}/{count}"));
            var elastic = onnx.IsElastic ? Invariant($" | onnx-cpu elastic {throughput.OnnxElastic,9:F0}/s ({throughput.OnnxElastic / throughput.Torch:F2}x)") : "";
            context.Out.WriteLine(Invariant($"throughput batch {batchSize}: torch padded {throughput.Torch,9:F0}/s | onnx-cpu padded {throughput.OnnxPadded,9:F0}/s ({throughput.OnnxPadded / throughput.Torch:F2}x)") + elastic);
            context.Out.WriteLine(Invariant($"latency batch 1 ({latency.Samples} calls each): torch median {latency.Torch.Median:F3} ms p90 {latency.Torch.P90:F3} ms min {latency.Torch.Min:F3} ms | onnx-cpu median {latency.Onnx.Median:F3} ms p90 {latency.Onnx.P90:F3} ms min {latency.Onnx.Min:F3} ms ({latency.Torch.Median / latency.Onnx.Median:F2}x faster)"));
            return ExitCodes.Ok;
        });
        return command;
    }

    private sealed record ThroughputResult(double Torch, double OnnxPadded, double OnnxElastic, int Rounds);

    private sealed record Percentiles(double Min, double Median, double P90);

    private sealed record LatencyResult(Percentiles Torch, Percentiles Onnx, int Samples);

    /// <summary>Samples/s of each mode: alternating rounds over all requests until the budget is spent (at least 2), best round each.</summary>
    private static ThroughputResult Throughput(IInferenceSession torch, OnnxInferenceSession onnx, List<InferenceRequest> requests, ElasticOptions options, TimeSpan budget)
    {
        var (bestTorch, bestPadded, bestElastic) = (double.MaxValue, double.MaxValue, double.MaxValue);
        var clock = Stopwatch.StartNew();
        var rounds = 0;
        while (rounds < 2 || clock.Elapsed < budget)
        {
            bestTorch = Math.Min(bestTorch, Time(() => ElasticBenchmark.Padded(torch, requests, options.MaxBatchSize)));
            bestPadded = Math.Min(bestPadded, Time(() => ElasticBenchmark.Padded(onnx, requests, options.MaxBatchSize)));
            if (onnx.IsElastic) bestElastic = Math.Min(bestElastic, Time(() => ElasticBenchmark.Elastic(onnx, requests, options)));
            rounds++;
        }
        return new ThroughputResult(requests.Count / bestTorch, requests.Count / bestPadded, onnx.IsElastic ? requests.Count / bestElastic : 0, rounds);
    }

    /// <summary>Per-call milliseconds of padded Run on one sample, the two backends alternating call by call.</summary>
    private static LatencyResult Latency(IInferenceSession torch, IInferenceSession onnx, List<InferenceRequest> requests, TimeSpan budget)
    {
        var (torchMs, onnxMs) = (new List<double>(), new List<double>());
        var clock = Stopwatch.StartNew();
        for (var i = 0; torchMs.Count < 50 || clock.Elapsed < budget; i = (i + 1) % requests.Count)
        {
            var input = requests[i].Input;
            torchMs.Add(Time(() => torch.Run(input, 1)) * 1000);
            onnxMs.Add(Time(() => onnx.Run(input, 1)) * 1000);
        }
        return new LatencyResult(Of(torchMs), Of(onnxMs), torchMs.Count);
    }

    private static Percentiles Of(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return new Percentiles(sorted[0], sorted[sorted.Length / 2], sorted[(int)(sorted.Length * 0.9)]);
    }

    private static double Time(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalSeconds;
    }
}
