using System.Diagnostics;
using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Specs;

namespace AdaTapeDml.Pipelines.Inference;

/// <summary>A session decorator that adds up the time spent in each stage, for benchmarks, and per ENCODE mode the time and
/// the cost model's FLOPs of its calls (what the planner's choice is judged against).</summary>
public sealed class TimedSession(IInferenceSession inner) : SessionDecorator(inner)
{
    private long readTicks, encodeTicks, runTicks;
    private readonly Lock gate = new();
    private readonly Dictionary<EncodeMode, (long Ticks, double Flops)> byMode = [];

    public TimeSpan ReadTime => TimeSpan.FromTicks(Interlocked.Read(ref readTicks));
    public TimeSpan EncodeTime => TimeSpan.FromTicks(Interlocked.Read(ref encodeTicks));
    public TimeSpan RunTime => TimeSpan.FromTicks(Interlocked.Read(ref runTicks));

    public void Reset()
    {
        readTicks = encodeTicks = runTicks = 0;
        lock (gate) byMode.Clear();
    }

    /// <summary>ENCODE FLOPs per second of each mode's <see cref="EncodeBatch"/> calls since the last reset (null: none).</summary>
    public double? EncodeFlopsPerSecond(EncodeMode mode)
    {
        lock (gate)
            return byMode.TryGetValue(mode, out var m) && m.Ticks > 0 ? m.Flops / TimeSpan.FromTicks(m.Ticks).TotalSeconds : null;
    }

    public override RunOutput Run(float[] inputs, int count) => Timed(ref runTicks, () => base.Run(inputs, count));
    public override TapeReadBatch Read(float[] inputs, int count) => Timed(ref readTicks, () => base.Read(inputs, count));
    public override float[] Encode(float[] hidden, float[] tape, int[] lengths, int tapeLength) => Timed(ref encodeTicks, () => base.Encode(hidden, tape, lengths, tapeLength));

    public override float[] EncodeBatch(TapeReadBatch read, EncodeMode mode)
    {
        var clock = Stopwatch.StartNew();
        try { return base.EncodeBatch(read, mode); }
        finally
        {
            var ticks = clock.Elapsed.Ticks;
            Interlocked.Add(ref encodeTicks, ticks);
            var flops = EncodePlanner.Flops((AdaTapeModelSpec)Spec.Model, Spec.Task, read.Lengths, mode);
            lock (gate)
            {
                var sums = byMode.GetValueOrDefault(mode);
                byMode[mode] = (sums.Ticks + ticks, sums.Flops + flops);
            }
        }
    }

    private static T Timed<T>(ref long ticks, Func<T> work)
    {
        var clock = Stopwatch.StartNew();
        try { return work(); }
        finally { Interlocked.Add(ref ticks, clock.Elapsed.Ticks); }
    }
}
