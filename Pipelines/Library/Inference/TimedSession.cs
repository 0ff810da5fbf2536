using System.Diagnostics;
using AdaTapeDml.Core.Contracts;

namespace AdaTapeDml.Pipelines.Inference;

/// <summary>A session decorator that adds up the time spent in each stage, for benchmarks.</summary>
public sealed class TimedSession(IInferenceSession inner) : SessionDecorator(inner)
{
    private long readTicks, encodeTicks, runTicks;

    public TimeSpan ReadTime => TimeSpan.FromTicks(Interlocked.Read(ref readTicks));
    public TimeSpan EncodeTime => TimeSpan.FromTicks(Interlocked.Read(ref encodeTicks));
    public TimeSpan RunTime => TimeSpan.FromTicks(Interlocked.Read(ref runTicks));

    public void Reset() => readTicks = encodeTicks = runTicks = 0;

    public override RunOutput Run(float[] inputs, int count) => Timed(ref runTicks, () => base.Run(inputs, count));
    public override TapeReadBatch Read(float[] inputs, int count) => Timed(ref readTicks, () => base.Read(inputs, count));
    public override float[] Encode(float[] hidden, float[] tape, int[] lengths, int tapeLength) => Timed(ref encodeTicks, () => base.Encode(hidden, tape, lengths, tapeLength));

    public override float[] EncodeBatch(TapeReadBatch read, EncodeMode mode) => Timed(ref encodeTicks, () => base.EncodeBatch(read, mode));

    private static T Timed<T>(ref long ticks, Func<T> work)
    {
        var clock = Stopwatch.StartNew();
        try { return work(); }
        finally { Interlocked.Add(ref ticks, clock.Elapsed.Ticks); }
    }
}
