using System.Collections.Concurrent;
using System.Reactive.Linq;
using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Pipelines.Inference;
using Xunit.Abstractions;

namespace AdaTapeDml.Properties.Pipelines;

/// <summary>50,000 requests from 8 producers through the app entry point while 1% of backend calls fail (a seeded mix of
/// throwing calls, NaN logits, sessions disposed under a call, replacement sessions that cannot be created). The
/// accounting must hold exactly: every request answered once, results + errors = submitted, every error naming an injected
/// cause, and every result equal to what a fault-free run answers for the same input.</summary>
public sealed class AdaTapeInference_Chaos(ITestOutputHelper output)
{
    private const int Producers = 8, PerProducer = 6_250, Seed = 20261202;
    private const double FaultRate = 0.01;

    private static readonly string[] Causes =
        ["injected fault in", "backend returned non-finite logits", "session was disposed during the call", "backend session could not be created"];

    [Fact]
    public async Task Fifty_thousand_requests_with_one_percent_faults_keep_exact_accounting()
    {
        var random = new Random(Seed);
        var injected = new ConcurrentDictionary<string, int>();
        var sessions = new ConcurrentQueue<FaultySession>();
        Fault Draw(Stage stage)
        {
            Fault[] kinds = stage == Stage.Encode ? [Fault.Throw, Fault.NaNLogits, Fault.DisposeUnderneath] : [Fault.Throw, Fault.DisposeUnderneath];
            Fault fault;
            lock (random) fault = random.NextDouble() >= FaultRate ? Fault.None : kinds[random.Next(kinds.Length)];
            if (fault != Fault.None) injected.AddOrUpdate($"{fault} in {stage}", 1, (_, n) => n + 1);
            return fault;
        }
        IInferenceSession Create()
        {
            bool fails;
            lock (random) fails = sessions.Count >= 2 && random.NextDouble() < FaultRate;   // the first two must start
            if (fails)
            {
                injected.AddOrUpdate("session creation fails", 1, (_, n) => n + 1);
                throw new IOException("injected: device lost");
            }
            var session = new FaultySession(new FakeElasticSession(), Draw);
            sessions.Enqueue(session);
            return session;
        }

        var requests = Enumerable.Range(0, Producers * PerProducer)
            .Select(i => new InferenceRequest($"q{i}", FakeElasticSession.Input(i + 1))).ToArray(); // distinct values: checkable answers
        var options = new ElasticOptions(MaxBatchSize: 64, MaxInFlight: 256, Sessions: 2);
        var expected = ElasticPipeline.Create(requests.ToObservable(), () => new FakeElasticSession(), options).ToEnumerable().ToDictionary(p => p.Id);

        var emitted = new ConcurrentDictionary<string, int>();
        var inference = AdaTapeInference.Create(Create, options);
        using var tap = inference.Predictions.Subscribe(p => emitted.AddOrUpdate(p.Id, 1, (_, n) => n + 1));
        var producers = Enumerable.Range(0, Producers).Select(producer => Task.Run(() =>
            Task.WhenAll(requests.Skip(producer * PerProducer).Take(PerProducer).Select(r => inference.PredictAsync(r))))).ToArray();
        var answers = (await Task.WhenAll(producers).WaitAsync(TimeSpan.FromMinutes(2))).SelectMany(a => a).ToList();
        var inFlightAfter = inference.InFlight;
        inference.Dispose();

        var results = answers.Where(p => !p.IsError).ToList();
        var errors = answers.Where(p => p.IsError).ToList();
        var mismatched = results.Count(p => !Same(p, expected[p.Id]));
        var unexplained = errors.Count(p => !Causes.Any(c => p.Error!.Contains(c, StringComparison.Ordinal)));
        output.WriteLine($"submitted {requests.Length}, answered {answers.Count} ({answers.Select(p => p.Id).Distinct().Count()} distinct ids), " +
            $"results {results.Count} ({mismatched} differ from the fault-free run), errors {errors.Count} ({unexplained} without an injected cause)");
        output.WriteLine($"injected: {string.Join(", ", injected.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value}"))}; sessions made {sessions.Count}, " +
            $"released once {sessions.Count(s => s.Released == 1)}; emitted once {emitted.Values.Count(n => n == 1)}, in flight after {inFlightAfter}");

        Assert.Equal(requests.Length, answers.Count);                                     // answered = submitted
        Assert.Equal(requests.Select(r => r.Id).Order(), answers.Select(p => p.Id).Order()); // each its own, no duplicates
        Assert.Equal(requests.Length, results.Count + errors.Count);
        Assert.Equal(requests.Length, emitted.Count);
        Assert.All(emitted.Values, n => Assert.Equal(1, n));
        Assert.Equal(0, mismatched);
        Assert.Equal(0, unexplained);
        Assert.True(injected.Values.Sum() > 0, "no fault was injected");
        Assert.InRange(errors.Count, injected.Values.Sum(), requests.Length);         // every fault cost at least one answer
        Assert.Equal(0, inFlightAfter);
        Assert.All(sessions, s => Assert.Equal(1, s.Released));
    }

    private static bool Same(Prediction actual, Prediction expected) =>
        !expected.IsError && actual.Class == expected.Class && actual.TapeLength == expected.TapeLength
        && actual.Logits.SequenceEqual(expected.Logits) && actual.Probabilities.SequenceEqual(expected.Probabilities);
}
