using System.Collections.Concurrent;
using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Specs;

namespace AdaTapeDml.Properties.Pipelines;

/// <summary>A deterministic stand-in backend for pipeline tests. A sample's input is 12 floats (parity of length 4); its
/// first value v sets the tape length (v mod 5) and its logits are [v, -v] (class 0 iff v &gt; 0), so every prediction
/// can be matched to its request. Records every call and the thread it ran on. <paramref name="beforeRead"/> sees each
/// READ batch's first values before the read: tests hold a batch back there on a gate they open.</summary>
public sealed class FakeElasticSession(bool elastic = true, Action<float[]>? beforeRead = null) : IInferenceSession
{
    public static readonly RunSpec ParitySpec = new("fake", new AdaTapeModelSpec(), new ParityTaskSpec(4, 10));

    public ConcurrentQueue<int> ReadSizes { get; } = new();
    public ConcurrentQueue<(int Count, int Slots, int[] Lengths)> Encodes { get; } = new();
    public ConcurrentQueue<int> Threads { get; } = new();
    public int Disposed;

    public RunSpec Spec => ParitySpec;
    public string Backend => "fake";
    public bool IsElastic => elastic;

    public static float[] Input(float value) => [value, .. new float[11]];

    public static int LengthOf(float value) => (int)Math.Abs(value) % 5;

    public RunOutput Run(float[] inputs, int count)
    {
        Threads.Enqueue(Environment.CurrentManagedThreadId);
        var values = Enumerable.Range(0, count).Select(b => inputs[b * 12]).ToArray();
        return new RunOutput(values.SelectMany(v => new[] { v, -v }).ToArray(), new TapeCompute(values.Select(LengthOf).ToArray()));
    }

    public TapeReadBatch Read(float[] inputs, int count)
    {
        var values = Enumerable.Range(0, count).Select(b => inputs[b * 12]).ToArray();
        beforeRead?.Invoke(values);
        Threads.Enqueue(Environment.CurrentManagedThreadId);
        ReadSizes.Enqueue(count);
        // Hidden carries the value (n = 1, D = 1); tape slot j of a sample holds j + 1 so Encode can check slots.
        var tape = values.SelectMany(_ => Enumerable.Range(1, 4).Select(j => (float)j)).ToArray();
        return new TapeReadBatch(count, 1, 1, 4, values, tape, values.Select(LengthOf).ToArray());
    }

    public float[] Encode(float[] hidden, float[] tape, int[] lengths, int tapeLength)
    {
        Threads.Enqueue(Environment.CurrentManagedThreadId);
        Encodes.Enqueue((lengths.Length, tapeLength, lengths));
        for (var g = 0; g < lengths.Length; g++)
            for (var j = 0; j < tapeLength; j++)
                if (tape[g * tapeLength + j] != j + 1) throw new InvalidOperationException("tape slots were not passed through in order");
        return hidden.SelectMany(v => new[] { v, -v }).ToArray();
    }

    public ConcurrentQueue<(EncodeMode Mode, int[] Lengths)> BatchEncodes { get; } = new();

    public float[] EncodeBatch(TapeReadBatch read, EncodeMode mode)
    {
        Threads.Enqueue(Environment.CurrentManagedThreadId);
        BatchEncodes.Enqueue((mode, read.Lengths));
        return read.Hidden.SelectMany(v => new[] { v, -v }).ToArray();
    }

    public void Dispose() => Interlocked.Increment(ref Disposed);
}
