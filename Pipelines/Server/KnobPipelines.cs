using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Pipelines.Inference;

namespace AdaTapeDml.Server;

/// <summary>Pipelines for compute-knob values other than the trained one. A backend takes the knob when a session is
/// made, so each value needs its own pipeline and sessions. At most <paramref name="capacity"/> are kept; a new value
/// replaces the least recently used idle one, and when every kept pipeline is in use the request is refused (429):
/// a pipeline is never disposed under a request.</summary>
public sealed class KnobPipelines(Func<TapeOverride, AdaTapeInference> create, int capacity) : IDisposable
{
    private sealed class Entry(AdaTapeInference pipeline)
    {
        public AdaTapeInference Pipeline { get; } = pipeline;
        public int Leases;
        public long LastUse;
    }

    private readonly Dictionary<TapeOverride, Entry> entries = [];
    private long clock;
    private bool disposed;

    /// <summary>A lease on the pipeline of <paramref name="knob"/> (made if needed), or null when all are busy. Making a
    /// pipeline loads sessions; it happens under the lock because new knob values are rare.</summary>
    public Lease? Acquire(TapeOverride knob)
    {
        lock (entries)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (!entries.TryGetValue(knob, out var entry))
            {
                if (entries.Count >= capacity && !EvictIdle()) return null;
                entry = new Entry(create(knob));
                entries[knob] = entry;
            }
            entry.Leases++;
            entry.LastUse = ++clock;
            return new Lease(this, entry.Pipeline, knob);
        }
    }

    public int Count
    {
        get { lock (entries) return entries.Count; }
    }

    private bool EvictIdle()
    {
        var idle = entries.Where(e => e.Value.Leases == 0).OrderBy(e => e.Value.LastUse).FirstOrDefault();
        if (idle.Value is null) return false;
        entries.Remove(idle.Key);
        idle.Value.Pipeline.Dispose();
        return true;
    }

    private void Release(TapeOverride knob)
    {
        lock (entries)
            if (entries.TryGetValue(knob, out var entry)) entry.Leases--;
    }

    public void Dispose()
    {
        lock (entries)
        {
            disposed = true;
            foreach (var entry in entries.Values) entry.Pipeline.Dispose();
            entries.Clear();
        }
    }

    /// <summary>A pipeline held for one request; disposing it returns it (a lease without owner holds nothing).</summary>
    public sealed class Lease(KnobPipelines? owner, AdaTapeInference pipeline, TapeOverride knob) : IDisposable
    {
        public AdaTapeInference Pipeline => pipeline;
        public void Dispose() => owner?.Release(knob);
    }
}
