using System.Reactive.Concurrency;
using AdaTapeDml.Core.Contracts;

namespace AdaTapeDml.Pipelines.Inference;

/// <summary>A backend session with the one thread allowed to use it: DirectML (and native state in general) wants
/// one Run at a time per session, so every call on the session is scheduled here.</summary>
public sealed class SessionWorker : IDisposable
{
    private readonly EventLoopScheduler thread;
    private Thread? owner;
    private IInferenceSession? session;

    /// <summary>Creates the session on its own thread (native sessions may be thread-affine).</summary>
    public SessionWorker(Func<IInferenceSession> create, string name)
    {
        thread = new EventLoopScheduler(start => owner = new Thread(start) { Name = name, IsBackground = true });
        Exception? failure = null;
        using var ready = new ManualResetEventSlim();
        thread.Schedule(() =>
        {
            try { session = create(); }
            catch (Exception e) { failure = e; }
            finally { ready.Set(); }
        });
        ready.Wait();
        if (failure is not null)
        {
            thread.Dispose();
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        }
    }

    public IInferenceSession Session => session ?? throw new ObjectDisposedException(nameof(SessionWorker));
    public IScheduler Scheduler => thread;

    /// <summary>Disposes the session on its own thread, then stops the thread. Called on that thread itself (a pipeline
    /// whose last batch completes there disposes its pool there), it disposes inline: waiting for a job queued behind
    /// the running one would never end.</summary>
    public void Dispose()
    {
        var toDispose = Interlocked.Exchange(ref session, null);
        if (toDispose is not null && Thread.CurrentThread == owner) toDispose.Dispose();
        else if (toDispose is not null)
        {
            using var done = new ManualResetEventSlim();
            thread.Schedule(() => { try { toDispose.Dispose(); } finally { done.Set(); } });
            done.Wait();
        }
        thread.Dispose();
    }
}
