using AdaTapeDml.Pipelines.Inference;

namespace AdaTapeDml.Properties.Pipelines;

/// <summary>Disposing the app entry point with requests in flight: every pending request and every caller waiting for room
/// is cancelled (one answer each), Dispose neither throws nor waits for a hung call, and the session is released when that
/// call returns.</summary>
public sealed class AdaTapeInference_Dispose
{
    [Fact]
    public async Task Pending_and_waiting_requests_are_cancelled_and_the_hung_session_is_released_when_its_call_returns()
    {
        var h = new FaultHarness((x, _) => x.Session(Stage.Read, call: 1, Fault.Hang), batchSize: 2, maxInFlight: 2);
        var inFlight = h.Send(1, 2);                                             // one batch, hung in READ
        var session = h.Sessions.Single();
        Assert.True(session.Hanging.Wait(FaultHarness.Safety));
        var waiting = h.Send(3);                                                 // no room: waits at the edge
        Assert.Equal(2, h.Inference.InFlight);
        Assert.False(waiting.IsCompleted);

        h.Inference.Dispose();                                                   // returns although the call still hangs
        Assert.Equal(0, h.Inference.InFlight);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => inFlight.WaitAsync(FaultHarness.Safety));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(FaultHarness.Safety));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => h.Send(4));
        Assert.Equal(0, session.Released);

        h.Gate.Set();                                                            // the call returns: its result goes nowhere
        Assert.True(session.ReleasedSignal.Wait(FaultHarness.Safety));
        Assert.Equal(1, session.Released);
        Assert.Empty(h.Emitted);
        h.Dispose();                                                             // a second Dispose is harmless
    }

    [Fact]
    public void Disposing_an_idle_pipeline_releases_its_sessions_before_it_returns()
    {
        var h = new FaultHarness((x, _) => x.Session(), batchSize: 2);
        foreach (var (p, v) in h.Answer(1, 2).Zip([1f, 2])) FaultHarness.AssertCorrect(p, v);
        h.Dispose();
        Assert.Equal(1, h.Sessions.Single().Released);
    }

    [Fact]
    public async Task Dispose_returns_only_once_the_release_is_done_whichever_thread_started_it()
    {
        using var release = new ManualResetEventSlim();
        var h = new FaultHarness((x, _) => x.Session(disposeGate: release), batchSize: 2);
        foreach (var (p, v) in h.Answer(1, 2).Zip([1f, 2])) FaultHarness.AssertCorrect(p, v);
        var session = h.Sessions.Single();
        // Dispose completes the request stream; the completing pipeline may start the release on its own thread, and Rx
        // then skips it for the caller's disposal: CI caught Dispose returning before the session was released.
        var disposing = Task.Run(h.Inference.Dispose);
        Assert.True(session.DisposeEntered.Wait(FaultHarness.Safety));           // the release has started and is held
        var again = Task.Run(h.Inference.Dispose);                               // an app thread racing the first
        Assert.False(disposing.IsCompleted);
        Assert.False(again.IsCompleted);
        release.Set();
        await Task.WhenAll(disposing, again).WaitAsync(FaultHarness.Safety);
        Assert.Equal(1, session.Released);
        h.Dispose();
    }
}
