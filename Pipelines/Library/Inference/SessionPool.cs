using System.Collections.Concurrent;
using System.Globalization;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using AdaTapeDml.Core.Contracts;

namespace AdaTapeDml.Pipelines.Inference;

/// <summary>Sessions, each on its own thread, and the deadline of each micro-batch. A batch takes a free session when it
/// is subscribed and returns it when answered, so with at most <see cref="Count"/> concurrent subscriptions no batch ever
/// waits behind another on a busy session. A session that misses the deadline is retired and replaced by a fresh one on a
/// new thread; its batch is answered with an error at the deadline, and its late result is dropped.</summary>
public sealed class SessionPool : IDisposable
{
    private readonly Func<IInferenceSession> create;
    private readonly List<SessionWorker> workers = [];
    private readonly ConcurrentQueue<SessionWorker> free;
    private readonly TimeSpan deadline;
    private readonly IScheduler timer;
    private readonly Action<string> report;
    private int replacements;
    private bool disposed;

    /// <param name="create">Makes one session (on the thread that will use it).</param>
    /// <param name="sessions">Sessions, created now: one that cannot be created throws here.</param>
    /// <param name="deadline">Longest a batch may take on its session.</param>
    /// <param name="timer">Clock of the deadline (virtual in tests).</param>
    /// <param name="report">Receives one line per incident (a retired session, a failed disposal); must not throw.</param>
    public SessionPool(Func<IInferenceSession> create, int sessions, TimeSpan deadline, IScheduler timer, Action<string> report)
    {
        (this.create, this.deadline, this.timer, this.report) = (create, deadline, timer, report);
        try
        {
            for (var i = 0; i < sessions; i++) workers.Add(new SessionWorker(create, $"adatape-session-{i}", report));
        }
        catch
        {
            foreach (var worker in workers) worker.Dispose();
            throw;
        }
        free = new(workers);
    }

    public int Count => workers.Count;

    /// <summary>A cold observable that, when subscribed, runs <paramref name="batch"/> on a free session and yields one
    /// prediction per request, once: the session's answer, or errors naming the deadline if it is missed. Callers must not
    /// subscribe more than <see cref="Count"/> at a time (Merge(Count) does that).</summary>
    public IObservable<Prediction[]> Run(IReadOnlyList<InferenceRequest> batch, EncodePlanner planner) => Observable.Create<Prediction[]>(observer =>
    {
        if (!free.TryDequeue(out var worker))                         // a bug, reported downstream rather than thrown on a timer thread
        {
            observer.OnError(new InvalidOperationException($"more than {Count} concurrent calls on a pool of {Count} sessions"));
            return System.Reactive.Disposables.Disposable.Empty;
        }
        var settled = 0;                                               // the first of answer and deadline wins
        void Answer(Prediction[] predictions, SessionWorker next)
        {
            free.Enqueue(next);                                        // before answering: the next batch may start at once
            observer.OnNext(predictions);
            observer.OnCompleted();
        }
        var deadlineTimer = timer.Schedule(deadline, () =>
        {
            if (Interlocked.Exchange(ref settled, 1) != 0) return;
            var message = string.Create(CultureInfo.InvariantCulture,
                $"backend session did not answer within the batch deadline of {deadline.TotalSeconds:0.###} s; it was retired and a new session serves later requests");
            report(message);
            Answer(batch.Select(r => Prediction.Failed(r.Id, message)).ToArray(), Replace(worker));
        });
        worker.Submit(batch, planner, predictions =>
        {
            if (Interlocked.Exchange(ref settled, 1) != 0) return;      // too late: the deadline has answered these requests
            deadlineTimer.Dispose();
            Answer(predictions, worker);
        });
        return deadlineTimer;
    });

    /// <summary>Puts a fresh worker (session created on its first batch) in place of <paramref name="hung"/> and retires
    /// the hung one: it disposes its session when its call returns.</summary>
    private SessionWorker Replace(SessionWorker hung)
    {
        SessionWorker replacement;
        lock (workers)
        {
            replacement = disposed ? hung
                : new SessionWorker(create, $"adatape-session-r{Interlocked.Increment(ref replacements)}", report, startNow: false);
            if (!disposed) workers[workers.IndexOf(hung)] = replacement;
        }
        if (replacement != hung) hung.Dispose();
        return replacement;
    }

    public void Dispose()
    {
        SessionWorker[] toDispose;
        lock (workers)
        {
            disposed = true;
            toDispose = [.. workers];
        }
        foreach (var worker in toDispose) worker.Dispose();
    }
}
