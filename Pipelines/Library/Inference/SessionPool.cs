using System.Reactive.Linq;
using AdaTapeDml.Core.Contracts;

namespace AdaTapeDml.Pipelines.Inference;

/// <summary>Sessions, each on its own thread. Work takes a free session when it is subscribed and returns it when done,
/// so with at most <see cref="Count"/> concurrent subscriptions no work ever waits behind another on a busy session.</summary>
public sealed class SessionPool : IDisposable
{
    private readonly SessionWorker[] workers;
    private readonly System.Collections.Concurrent.ConcurrentQueue<SessionWorker> free;

    public SessionPool(Func<IInferenceSession> create, int sessions)
    {
        var created = new List<SessionWorker>();
        try
        {
            for (var i = 0; i < sessions; i++) created.Add(new SessionWorker(create, $"adatape-session-{i}"));
        }
        catch
        {
            foreach (var worker in created) worker.Dispose();
            throw;
        }
        workers = created.ToArray();
        free = new(workers);
    }

    public int Count => workers.Length;

    /// <summary>A cold observable that, when subscribed, runs <paramref name="work"/> on a free session's thread and
    /// yields its result once. Callers must not subscribe more than <see cref="Count"/> at a time (Merge(Count) does that).</summary>
    public IObservable<T> Run<T>(Func<SessionWorker, T> work) => Observable.Defer(() =>
    {
        if (!free.TryDequeue(out var worker))
            throw new InvalidOperationException($"more than {workers.Length} concurrent calls on a pool of {workers.Length} sessions");
        return Observable.Start(() => work(worker), worker.Scheduler).Finally(() => free.Enqueue(worker));
    });

    public void Dispose()
    {
        foreach (var worker in workers) worker.Dispose();
    }
}
