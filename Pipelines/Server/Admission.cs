using System.Reactive.Linq;
using System.Reactive.Subjects;

namespace AdaTapeDml.Server;

/// <summary>Non-waiting admission in front of the pipelines: at most <see cref="Limit"/> requests hold a slot; the next
/// one is refused at once (the server answers 429) instead of queueing. The pipeline's own bound makes callers wait,
/// so without this a burst would build an unbounded queue of waiting HTTP requests.</summary>
public sealed class Admission(int limit) : IDisposable
{
    private readonly BehaviorSubject<int> changes = new(0);
    private int inFlight;

    public int Limit => limit;
    public int InFlight => Volatile.Read(ref inFlight);

    /// <summary>The in-flight count after every change (tests wait on it instead of on time).</summary>
    public IObservable<int> InFlightChanges => changes.AsObservable();

    /// <summary>Takes a slot, or returns false at once when all are taken.</summary>
    public bool TryEnter()
    {
        while (true)
        {
            var current = Volatile.Read(ref inFlight);
            if (current >= limit) return false;
            if (Interlocked.CompareExchange(ref inFlight, current + 1, current) != current) continue;
            Publish();
            return true;
        }
    }

    public void Exit()
    {
        Interlocked.Decrement(ref inFlight);
        Publish();
    }

    // Publishes the count read under the lock, so the last value published is always the current one.
    private void Publish()
    {
        lock (changes) changes.OnNext(Volatile.Read(ref inFlight));
    }

    public void Dispose() => changes.Dispose();
}
