using System.Collections.Concurrent;
using System.Reactive.Concurrency;
using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Pipelines.Inference;

namespace AdaTapeDml.Properties.Pipelines;

/// <summary><see cref="AdaTapeInference"/> over <see cref="FaultySession"/>s around <see cref="FakeElasticSession"/>s, with
/// the batching clock in virtual time so micro-batches form by count only: sending exactly one batch's worth of requests
/// makes exactly one batch. Records every session made, every prediction emitted and every incident reported.</summary>
public sealed class FaultHarness : IDisposable
{
    public static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);        // turns a hang into a failure, never waited on

    public readonly HistoricalScheduler Clock = new();
    public readonly ManualResetEventSlim Gate = new();
    public readonly ConcurrentQueue<FaultySession> Sessions = new();
    public readonly ConcurrentDictionary<string, int> Emitted = new();
    public readonly ConcurrentQueue<string> Incidents = new();
    public readonly AdaTapeInference Inference;
    private readonly Func<FaultHarness, int, FaultySession> make;
    private readonly IDisposable taps;

    /// <param name="make">The n-th session (0-based) of this harness; it may throw, as a backend that cannot start does.</param>
    public FaultHarness(Func<FaultHarness, int, FaultySession> make, int batchSize = 4, int maxInFlight = 64,
        ElasticExecution execution = ElasticExecution.Auto)
    {
        this.make = make;
        Inference = AdaTapeInference.Create(Create,
            new ElasticOptions(MaxBatchSize: batchSize, MaxBatchDelay: TimeSpan.FromHours(1), MaxInFlight: maxInFlight, Execution: execution), Clock);
        taps = new System.Reactive.Disposables.CompositeDisposable(
            Inference.Predictions.Subscribe(p => Emitted.AddOrUpdate(p.Id, 1, (_, n) => n + 1)),
            Inference.Incidents.Subscribe(Incidents.Enqueue));
    }

    private int made;

    private IInferenceSession Create()
    {
        var session = make(this, Interlocked.Increment(ref made) - 1);
        Sessions.Enqueue(session);
        return session;
    }

    /// <summary>A healthy session, or one with <paramref name="fault"/> on call <paramref name="call"/> (1-based) of
    /// <paramref name="stage"/>.</summary>
    public FaultySession Session(Stage stage = Stage.Read, int call = 0, Fault fault = Fault.None, Exception? disposeFailure = null,
        ManualResetEventSlim? disposeGate = null)
    {
        var calls = 0;
        return new FaultySession(new FakeElasticSession(), s => s == stage && Interlocked.Increment(ref calls) == call ? fault : Fault.None, Gate)
            { DisposeFailure = disposeFailure, DisposeGate = disposeGate };
    }

    /// <summary>Sends one request per value (ids "r{value}") without waiting; the answers, in value order.</summary>
    public Task<Prediction[]> Send(params float[] values) =>
        Task.WhenAll(values.Select(v => Inference.PredictAsync(new InferenceRequest($"r{v}", FakeElasticSession.Input(v)))));

    /// <summary>Waits (up to the safety timeout) for the answers of <paramref name="values"/>.</summary>
    public Prediction[] Answer(params float[] values) => Send(values).WaitAsync(Safety).GetAwaiter().GetResult();

    /// <summary>What a healthy backend answers for <paramref name="value"/>: FakeElasticSession's logits [v, -v].</summary>
    public static void AssertCorrect(Prediction prediction, float value)
    {
        Assert.False(prediction.IsError, prediction.Error);
        Assert.Equal($"r{value}", prediction.Id);
        Assert.Equal([value, -value], prediction.Logits);
        Assert.Equal(value > 0 ? 0 : 1, prediction.Class);
        Assert.Equal(FakeElasticSession.LengthOf(value), prediction.TapeLength);
    }

    public static FakeElasticSession Fake(FaultySession session) => (FakeElasticSession)session.Inner;

    public void Dispose()
    {
        Gate.Set();                                                                // never leave a session thread blocked
        Inference.Dispose();
        taps.Dispose();
    }
}
