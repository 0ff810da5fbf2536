using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Core.Tasks;
using AdaTapeDml.Pipelines.Inference;

namespace AdaTapeDml.Server;

/// <summary>The server under load on loopback: concurrent HTTP clients send infer requests of random batch sizes over a
/// pool of random parity sequences; every answer is matched to its request id and checked, sample by sample, against the
/// in-process pipeline's answer for the same sequence. The same clients and batches are first run against the in-process
/// pipeline (no HTTP), so the two samples/s figures differ only by the server.</summary>
public static class ServeBenchmark
{
    /// <param name="Lost">Requests without a 200 answer; <paramref name="LostStatuses"/> counts them by HTTP status and
    /// <paramref name="FirstLostAnswer"/> keeps the first answer of each status (what went wrong).</param>
    /// <param name="Wrong">Answered requests whose id, class, tape length or probabilities (beyond 1e-4) differ.</param>
    public sealed record Result(int Requests, long Samples, int Lost, int Wrong, TimeSpan P50, TimeSpan P99,
        double ServerSamplesPerSecond, double InProcessSamplesPerSecond, long MemoryAfterWarmUp, long MemoryAfterRun, Uri Address,
        IReadOnlyDictionary<int, int> LostStatuses, IReadOnlyDictionary<int, string> FirstLostAnswer)
    {
        public double Overhead => ServerSamplesPerSecond / InProcessSamplesPerSecond;
        public double MemoryGrowth => (MemoryAfterRun - MemoryAfterWarmUp) / (double)MemoryAfterWarmUp;
    }

    private sealed record Planned(string Id, int[] Pool);

    public static async Task<Result> RunAsync(ModelSource source, ServerOptions options, int clients, int requests, int maxBatch = 32, int seed = 1)
    {
        if (source.Spec.Task is not ParityTaskSpec parity) throw new ArgumentException($"the serve benchmark sends parity sequences; this model's task is {source.Spec.Task.GetType().Name}");
        if (clients < 1 || requests < 1 || maxBatch < 1) throw new ArgumentException("clients, requests and batch size must be >= 1");
        var random = new Random(seed);
        var pool = Enumerable.Range(0, 1024).Select(_ => Enumerable.Range(0, parity.SeqLen).Select(_ => (sbyte)random.Next(-1, 2)).ToArray()).ToArray();
        var inputs = pool.Select(s => Parity.OneHot([s], parity.SeqLen)).ToArray();
        Planned[] Plan(int count, string prefix) => Enumerable.Range(0, count)
            .Select(i => new Planned($"{prefix}{i}", Enumerable.Range(0, random.Next(1, maxBatch + 1)).Select(_ => random.Next(pool.Length)).ToArray())).ToArray();
        var (warmUp, measured) = (Plan(Math.Clamp(requests / 10, 1, 1000), "w"), Plan(requests, "r"));
        var samples = measured.Sum(p => (long)p.Pool.Length);

        Prediction[] expected;
        double inProcessRate;
        using (var inference = AdaTapeInference.Create(source.Sessions(null), options.PipelineOptions))
        {
            expected = await Task.WhenAll(inputs.Select((x, i) => inference.PredictAsync(new InferenceRequest($"{i}", x)))).ConfigureAwait(false);
            await Clients(warmUp, clients, p => Task.WhenAll(p.Pool.Select(i => inference.PredictAsync(new InferenceRequest(p.Id, inputs[i]))))).ConfigureAwait(false);
            var clock = Stopwatch.StartNew();
            await Clients(measured, clients, p => Task.WhenAll(p.Pool.Select(i => inference.PredictAsync(new InferenceRequest(p.Id, inputs[i]))))).ConfigureAwait(false);
            inProcessRate = samples / clock.Elapsed.TotalSeconds;
        }

        await using var server = await InferenceServer.StartAsync([source], options with { Port = 0, MaxInFlight = Math.Max(options.MaxInFlight, clients) }).ConfigureAwait(false);
        var http = Enumerable.Range(0, clients).Select(_ => new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(5) }).ToArray();
        var latencies = new TimeSpan[measured.Length];
        var (lost, wrong) = (0, 0);
        var lostStatuses = new System.Collections.Concurrent.ConcurrentDictionary<int, int>();
        var firstLost = new System.Collections.Concurrent.ConcurrentDictionary<int, string>();
        async Task Send(int client, Planned plan, int index)
        {
            var clock = Stopwatch.StartNew();
            var body = new { id = plan.Id, inputs = new[] { new { name = "sequence", datatype = "INT8", shape = new[] { plan.Pool.Length, parity.SeqLen }, data = plan.Pool.SelectMany(i => pool[i]).ToArray() } } };
            using var response = await http[client].PostAsJsonAsync($"v2/models/{source.Name}/infer", body).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            if (index >= 0) latencies[index] = clock.Elapsed;
            if (!response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref lost);
                lostStatuses.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
                firstLost.TryAdd((int)response.StatusCode, text.ReplaceLineEndings(" "));
            }
            else if (!Matches(text, plan, expected)) Interlocked.Increment(ref wrong);
        }
        try
        {
            await Clients(warmUp, clients, (p, c, _) => Send(c, p, -1)).ConfigureAwait(false);
            var afterWarmUp = Memory();
            (lost, wrong) = (0, 0);
            lostStatuses.Clear();
            firstLost.Clear();
            var run = Stopwatch.StartNew();
            await Clients(measured, clients, (p, c, i) => Send(c, p, i)).ConfigureAwait(false);
            var rate = samples / run.Elapsed.TotalSeconds;
            var afterRun = Memory();
            Array.Sort(latencies);
            return new Result(measured.Length, samples, lost, wrong, latencies[latencies.Length / 2], latencies[Math.Min(latencies.Length - 1, latencies.Length * 99 / 100)],
                rate, inProcessRate, afterWarmUp, afterRun, server.Address, new SortedDictionary<int, int>(lostStatuses),
                new SortedDictionary<int, string>(firstLost));
        }
        finally
        {
            foreach (var client in http) client.Dispose();
        }
    }

    /// <summary>Whether a response carries the request's id and, per sample, the expected class and tape length, with
    /// probabilities equal to 1e-4 (micro-batches differ between runs; kernels may round differently by batch size).</summary>
    private static bool Matches(string text, Planned plan, Prediction[] expected)
    {
        using var document = JsonDocument.Parse(text);
        var root = document.RootElement;
        if (root.GetProperty("id").GetString() != plan.Id) return false;
        var outputs = root.GetProperty("outputs").EnumerateArray().ToDictionary(o => o.GetProperty("name").GetString()!, o => o.GetProperty("data"));
        var classes = outputs[ModelSignature.Prediction].EnumerateArray().Select(e => e.GetInt64()).ToArray();
        var lengths = outputs[ModelSignature.TapeLength].EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var probabilities = outputs[ModelSignature.Probabilities].EnumerateArray().Select(e => e.GetSingle()).ToArray();
        if (classes.Length != plan.Pool.Length || lengths.Length != plan.Pool.Length) return false;
        for (var s = 0; s < plan.Pool.Length; s++)
        {
            var want = expected[plan.Pool[s]];
            if (classes[s] != want.Class || lengths[s] != want.TapeLength) return false;
            for (var c = 0; c < want.Probabilities.Length; c++)
                if (Math.Abs(probabilities[s * want.Probabilities.Length + c] - want.Probabilities[c]) > 1e-4) return false;
        }
        return true;
    }

    private static Task Clients(Planned[] plans, int clients, Func<Planned, Task> send) => Clients(plans, clients, (p, _, _) => send(p));

    /// <summary><paramref name="clients"/> concurrent loops, each sending the next unsent request and awaiting its answer.</summary>
    private static Task Clients(Planned[] plans, int clients, Func<Planned, int, int, Task> send)
    {
        var next = -1;
        return Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < plans.Length; i = Interlocked.Increment(ref next))
                await send(plans[i], client, i).ConfigureAwait(false);
        })));
    }

    private static long Memory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return Process.GetCurrentProcess().WorkingSet64;
    }
}
