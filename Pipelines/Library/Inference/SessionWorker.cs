using System.Reactive.Concurrency;
using AdaTapeDml.Core.Contracts;

namespace AdaTapeDml.Pipelines.Inference;

/// <summary>A backend session with the one thread allowed to use it: DirectML (and native state in general) wants
/// one Run at a time per session, so every call on the session is made here. Nothing thrown on that thread escapes it
/// (an exception there would end the process): failures become error predictions or reports.</summary>
public sealed class SessionWorker : IDisposable
{
    private readonly EventLoopScheduler thread;
    private readonly Func<IInferenceSession> create;
    private readonly Action<string> report;
    private Thread? owner;
    private IInferenceSession? session;
    private int outstanding, disposed;
    private readonly ManualResetEventSlim stopped = new();                // set once the session is disposed by Stop
    [ThreadStatic] private static bool onSessionThread;

    /// <summary>Whether the calling thread is some worker's session thread (where waiting for a disposal may deadlock).</summary>
    public static bool OnSessionThread => onSessionThread;

    /// <param name="create">Makes the session; always called on this worker's thread (native sessions may be thread-affine).</param>
    /// <param name="name">The thread's name.</param>
    /// <param name="report">Receives one line per incident that has no request to answer (a failed disposal).</param>
    /// <param name="startNow">Create the session now and throw if that fails (a pipeline's first sessions: a backend that
    /// cannot start is a configuration error); else on the first batch, whose requests get the error if it fails.</param>
    public SessionWorker(Func<IInferenceSession> create, string name, Action<string> report, bool startNow = true)
    {
        (this.create, this.report) = (create, report);
        thread = new EventLoopScheduler(start => owner = new Thread(() => { onSessionThread = true; start(); }) { Name = name, IsBackground = true });
        if (!startNow) return;
        Exception? failure = null;
        using var ready = new ManualResetEventSlim();
        thread.Schedule(() =>
        {
            try { session = create(); }
            catch (Exception e) { failure = e; }
            finally { ready.Set(); }
        });
        ready.Wait();
        if (failure is null) return;
        thread.Dispose();
        System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
    }

    /// <summary>Runs <paramref name="batch"/> on this worker's thread and hands its predictions (one per request, in
    /// order) to <paramref name="answer"/> there. Returns at once.</summary>
    public void Submit(IReadOnlyList<InferenceRequest> batch, EncodePlanner planner, Action<Prediction[]> answer)
    {
        Interlocked.Increment(ref outstanding);
        try
        {
            thread.Schedule(() =>
            {
                Prediction[] predictions;
                try { predictions = Execute(batch, planner); }
                finally { Interlocked.Decrement(ref outstanding); }
                try { answer(predictions); }
                catch (Exception e) { report($"a prediction consumer failed on {owner?.Name}: {OneLine(e)}"); }
            });
        }
        catch (ObjectDisposedException)                                // the thread has stopped: a pipeline being disposed
        {
            Interlocked.Decrement(ref outstanding);
            answer(Failed(batch, ShuttingDown));
        }
    }

    private const string ShuttingDown = "the inference pipeline is shutting down";

    private Prediction[] Execute(IReadOnlyList<InferenceRequest> batch, EncodePlanner planner)
    {
        if (Volatile.Read(ref disposed) != 0) return Failed(batch, ShuttingDown);
        if (session is null)
        {
            try { session = create(); }
            catch (Exception e) { return Failed(batch, $"backend session could not be created: {OneLine(e)}"); }
        }
        var backend = session.Backend;
        try { return session.RunTogether(() => ElasticBatch.Execute(session, batch, planner)); }
        catch (ObjectDisposedException e)
        {
            DisposeSession();                                          // gone under us; the next batch makes a new one
            return Failed(batch, $"backend {backend} session was disposed during the call ({OneLine(e)}); a new session serves later requests");
        }
        catch (Exception e)
        {
            return Failed(batch, $"internal error on backend {backend}: {e.GetType().Name}: {OneLine(e)}");
        }
    }

    private static Prediction[] Failed(IReadOnlyList<InferenceRequest> batch, string error) =>
        batch.Select(r => Prediction.Failed(r.Id, error)).ToArray();

    private static string OneLine(Exception e) => e.Message.ReplaceLineEndings(" ");

    private void DisposeSession()
    {
        var toDispose = Interlocked.Exchange(ref session, null);
        try { toDispose?.Dispose(); }
        catch (Exception e) { report($"disposing backend {toDispose!.Backend} session failed: {e.GetType().Name}: {OneLine(e)}"); }
    }

    /// <summary>Disposes the session on its own thread, then stops the thread; idempotent. An idle worker is waited for, so
    /// the caller knows its native memory is freed. A busy one (a call in flight, perhaps hung past its deadline) is not:
    /// its session is disposed when that call returns, and the call's late result is dropped by whoever gave up on it.
    /// Called on the worker's own thread (a pipeline whose last batch completes there), it disposes inline. A second
    /// caller (the pipeline completing on one thread while the app disposes it on another) waits the same way: it returns
    /// only once an idle worker's session is disposed, whoever started the disposal (a full-suite run caught an app's
    /// Dispose returning before the session was released, because the completing pipeline had started it).</summary>
    public void Dispose()
    {
        var first = Interlocked.Exchange(ref disposed, 1) == 0;
        if (Thread.CurrentThread == owner)
        {
            if (first) Stop();
            return;
        }
        var idle = Volatile.Read(ref outstanding) == 0;
        if (first) thread.Schedule(Stop);
        if (idle) stopped.Wait();
    }

    private void Stop()
    {
        DisposeSession();
        stopped.Set();
        thread.Dispose();                                              // ends the loop after this job
    }
}
