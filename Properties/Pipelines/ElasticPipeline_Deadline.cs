using System.Collections.Concurrent;
using System.Reactive.Concurrency;
using System.Reactive.Subjects;
using AdaTapeDml.Pipelines.Inference;

namespace AdaTapeDml.Properties.Pipelines;

/// <summary>The batch deadline, in virtual time: a session that hangs past it has its batch answered with an error naming
/// the deadline, is retired and replaced by a fresh session on a new thread, and is released when its call returns; its
/// late result is dropped. The hang is a gate the test holds closed; nothing here sleeps.</summary>
public sealed class ElasticPipeline_Deadline : IDisposable
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);       // turns a hang into a failure, never waited on
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);

    private readonly HistoricalScheduler clock = new();
    private readonly Subject<InferenceRequest> requests = new();
    private readonly ManualResetEventSlim gate = new();
    private readonly ConcurrentQueue<FaultySession> sessions = new();
    private readonly BlockingCollection<Prediction> answers = [];
    private readonly List<string> incidents = [];
    private readonly IDisposable subscription;

    /// <summary>The first session hangs on its first READ; every later session (and call) is healthy.</summary>
    public ElasticPipeline_Deadline()
    {
        var options = new ElasticOptions(MaxBatchSize: 2, MaxInFlight: 2, MaxBatchDelay: TimeSpan.FromHours(1), BatchDeadline: Deadline);
        subscription = ElasticPipeline.Create(requests, NewSession, options, clock, i => { lock (incidents) incidents.Add(i); })
            .Subscribe(answers.Add);
    }

    private FaultySession NewSession()
    {
        var first = sessions.IsEmpty;
        var calls = 0;
        var session = new FaultySession(new FakeElasticSession(), _ => first && Interlocked.Increment(ref calls) == 1 ? Fault.Hang : Fault.None, gate);
        sessions.Enqueue(session);
        return session;
    }

    private void Send(params float[] values)
    {
        foreach (var v in values) requests.OnNext(new InferenceRequest($"r{v}", FakeElasticSession.Input(v)));
    }

    private Prediction Next() => answers.TryTake(out var answer, Safety) ? answer : throw new TimeoutException("no answer");

    [Fact]
    public void A_hung_batch_is_answered_at_the_deadline_and_a_fresh_session_serves_the_next()
    {
        var hung = Assert.Single(sessions);
        Send(1, 2);                                                               // a full batch: it goes to the session at once
        Assert.True(hung.Hanging.Wait(Safety));
        clock.AdvanceBy(Deadline - TimeSpan.FromTicks(1));
        Assert.Empty(answers);                                                    // not yet: the deadline has not passed
        clock.AdvanceBy(TimeSpan.FromTicks(1));                                   // the deadline fires on this thread
        var late = new[] { Next(), Next() };
        Assert.Equal(["r1", "r2"], late.Select(p => p.Id).Order());
        Assert.All(late, p => Assert.Contains("batch deadline of 5 s", p.Error));
        Assert.Contains(incidents, i => i.Contains("retired"));

        Send(3, 4);                                                               // served by a replacement session
        var served = new[] { Next(), Next() };
        Assert.All(served, p => Assert.False(p.IsError, p.Error));
        Assert.Equal(2, sessions.Count);
        var fresh = sessions.Last();
        Assert.Equal([2], FaultHarness.Fake(fresh).ReadSizes);
        Assert.Equal(0, hung.Released);                                           // still inside its call

        gate.Set();                                                               // the hung call returns ...
        Assert.True(hung.ReleasedSignal.Wait(Safety));                            // ... and the retired session is released
        Assert.Equal(1, hung.Released);
        Assert.Equal([2], FaultHarness.Fake(hung).ReadSizes);                    // its READ did finish, late
        Assert.Empty(answers);                                                    // and its late answers were dropped
        Assert.NotEqual(FaultHarness.Fake(hung).Threads.Distinct().Single(), FaultHarness.Fake(fresh).Threads.Distinct().Single()); // a new thread

        subscription.Dispose();
        Assert.All(sessions, s => Assert.Equal(1, s.Released));
    }

    [Fact]
    public void Disposing_the_pipeline_while_a_call_hangs_returns_at_once_and_releases_the_session_when_the_call_returns()
    {
        var hung = Assert.Single(sessions);
        Send(1, 2);
        Assert.True(hung.Hanging.Wait(Safety));
        subscription.Dispose();                                                   // must not wait for the hung call
        Assert.Equal(0, hung.Released);
        clock.AdvanceBy(Deadline * 2);                                            // the deadline was cancelled with the pipeline
        Assert.Single(sessions);                                                  // so no replacement was made
        gate.Set();
        Assert.True(hung.ReleasedSignal.Wait(Safety));
        Assert.Equal(1, hung.Released);
        Assert.Empty(answers);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void A_deadline_that_is_not_positive_is_rejected_and_the_default_is_30_seconds(int seconds)
    {
        var options = new ElasticOptions(BatchDeadline: TimeSpan.FromSeconds(seconds));
        Assert.Contains(options.Problems(), p => p.StartsWith("batchDeadline", StringComparison.Ordinal));
        Assert.Equal(TimeSpan.FromSeconds(30), new ElasticOptions().Deadline);
        Assert.Empty(new ElasticOptions().Problems());
    }

    public void Dispose()
    {
        gate.Set();                                                               // never leave a session thread blocked
        subscription.Dispose();
    }
}
