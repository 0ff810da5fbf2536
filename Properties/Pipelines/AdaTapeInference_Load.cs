using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Pipelines.Inference;

namespace AdaTapeDml.Properties.Pipelines;

/// <summary>The app entry point under load: 8 concurrent producers, 100,000 requests, a bounded number in flight.
/// Nothing is lost or duplicated and every prediction answers its own request.</summary>
public sealed class AdaTapeInference_Load
{
    [Fact]
    public async Task Eight_producers_and_100000_requests_lose_nothing_and_match_every_answer()
    {
        const int producers = 8, perProducer = 12_500, maxInFlight = 256;
        var session = new FakeElasticSession();
        var peak = 0;
        using var inference = AdaTapeInference.Create(() => session, new ElasticOptions(MaxBatchSize: 64, MaxInFlight: maxInFlight, Sessions: 2));
        var seen = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        using var tap = inference.Predictions.Subscribe(p => seen.AddOrUpdate(p.Id, 1, (_, n) => n + 1));

        // Each producer streams its requests without waiting for answers; the in-flight bound makes them wait for room.
        var tasks = Enumerable.Range(0, producers).Select(producer => Task.Run(async () =>
        {
            var answers = Enumerable.Range(0, perProducer).Select(async i =>
            {
                var value = (float)(producer * perProducer + i + 1);                   // unique, so answers are checkable
                var prediction = await inference.PredictAsync(new InferenceRequest($"p{producer}-{i}", FakeElasticSession.Input(value)));
                InterlockedMax(ref peak, inference.InFlight);
                return prediction.Id == $"p{producer}-{i}" && prediction.Class == 0 && !prediction.IsError
                    && prediction.TapeLength == FakeElasticSession.LengthOf(value);
            }).ToList();
            return (await Task.WhenAll(answers)).Count(ok => !ok);
        })).ToArray();
        var mismatchCounts = await Task.WhenAll(tasks).WaitAsync(Safety);

        Assert.All(mismatchCounts, m => Assert.Equal(0, m));
        Assert.Equal(producers * perProducer, seen.Count);                             // none lost
        Assert.All(seen.Values, n => Assert.Equal(1, n));                              // none duplicated
        Assert.Equal(producers * perProducer, session.ReadSizes.Sum());                // each read exactly once
        Assert.True(session.ReadSizes.Max() <= 64);
        Assert.InRange(peak, 1, maxInFlight);                                          // the bound held
    }

    /// <summary>The batching clock is virtual and never advances, so micro-batches form by count alone (2 + 2), and the
    /// test waits for the session to signal that READ was entered: nothing here depends on how fast the machine is.</summary>
    [Fact]
    public async Task Producers_wait_when_the_in_flight_bound_is_reached()
    {
        using var gate = new ManualResetEventSlim(false);
        var session = new BlockingSession(gate);
        var clock = new System.Reactive.Concurrency.HistoricalScheduler();
        using var inference = AdaTapeInference.Create(() => session, new ElasticOptions(MaxBatchSize: 2, MaxInFlight: 4, MaxBatchDelay: TimeSpan.FromMilliseconds(1)), clock);
        try
        {
            var sent = Enumerable.Range(0, 6).Select(i => inference.PredictAsync(new InferenceRequest($"{i}", FakeElasticSession.Input(i + 1)))).ToList();
            Assert.True(session.Entered.Wait(Safety), "the first micro-batch never reached READ");
            Assert.Equal(4, inference.InFlight);                                       // the bound: two more wait at the edge
            Assert.Equal(2, session.Admitted);                                         // one batch in READ, blocked; the next queued
            Assert.All(sent, t => Assert.False(t.IsCompleted));                        // nothing is answered while READ is blocked
            gate.Set();
            var answers = await Task.WhenAll(sent).WaitAsync(Safety);
            Assert.Equal(["0", "1", "2", "3", "4", "5"], answers.Select(a => a.Id));
            Assert.Equal(6, session.Admitted);
            Assert.Equal(0, inference.InFlight);
        }
        finally
        {
            gate.Set();                                                                // never leave the session thread blocked
        }
    }

    /// <summary>Only turns a hang into a failure; no assertion depends on it.</summary>
    private static readonly TimeSpan Safety = TimeSpan.FromMinutes(2);

    private static void InterlockedMax(ref int target, int value)
    {
        for (var current = Volatile.Read(ref target); value > current; current = Volatile.Read(ref target))
            if (Interlocked.CompareExchange(ref target, value, current) == current) return;
    }

    /// <summary>Counts samples reaching READ and holds them until the gate opens.</summary>
    private sealed class BlockingSession(ManualResetEventSlim gate) : IInferenceSession
    {
        private readonly FakeElasticSession inner = new();
        public int Admitted;
        public readonly SemaphoreSlim Entered = new(0);
        public AdaTapeDml.Core.Specs.RunSpec Spec => inner.Spec;
        public string Backend => "blocking";
        public bool IsElastic => true;
        public RunOutput Run(float[] inputs, int count) => inner.Run(inputs, count);
        public AdaTapeDml.Core.Contracts.TapeReadBatch Read(float[] inputs, int count)
        {
            Interlocked.Add(ref Admitted, count);
            Entered.Release();
            gate.Wait();
            return inner.Read(inputs, count);
        }
        public float[] Encode(float[] hidden, float[] tape, int[] lengths, int tapeLength) => inner.Encode(hidden, tape, lengths, tapeLength);
        public float[] EncodeBatch(AdaTapeDml.Core.Contracts.TapeReadBatch read, EncodeMode mode) => inner.EncodeBatch(read, mode);
        public void Dispose() => inner.Dispose();
    }
}
