using System.Collections.Concurrent;
using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Specs;
using Tasks = AdaTapeDml.Core.Tasks;

namespace AdaTapeDml.Properties.Pipelines;

/// <summary>A deterministic stand-in backend for pipeline tests. A sample's input is a one-hot parity sequence of 16
/// elements that spells an integer v (<see cref="Input"/>); v sets the tape length (v mod 5) and the logits are [v, -v]
/// (class 0 iff v &gt; 0), so every prediction can be matched to its request. Records every call and the thread it ran on. <paramref name="beforeRead"/> sees each
/// READ batch's first values before the read: tests hold a batch back there on a gate they open.</summary>
public sealed class FakeElasticSession(bool elastic = true, Action<float[]>? beforeRead = null) : IInferenceSession
{
    private const int Elements = 16;

    /// <summary>Floats per sample.</summary>
    public const int InputWidth = Elements * Tasks.Parity.Channels;

    public static readonly RunSpec ParitySpec = new("fake", new AdaTapeModelSpec(), new ParityTaskSpec(Elements, 10));

    public ConcurrentQueue<int> ReadSizes { get; } = new();
    public ConcurrentQueue<(int Count, int Slots, int[] Lengths)> Encodes { get; } = new();
    public ConcurrentQueue<int> Threads { get; } = new();
    public int Disposed;

    public RunSpec Spec => ParitySpec;
    public string Backend => "fake";
    public bool IsElastic => elastic;

    /// <summary>The input spelling integer <paramref name="value"/> (|v| below 3^15): element 0 is -1 for a negative v, else
    /// 0; elements 1.. are the base-3 digits of |v|, lowest first, each digit d as element value d - 1; one-hot encoded.</summary>
    public static float[] Input(float value)
    {
        var magnitude = (long)Math.Abs(value);
        if (magnitude != Math.Abs(value) || magnitude >= (long)Math.Pow(3, Elements - 1))
            throw new ArgumentOutOfRangeException(nameof(value), value, "the fake spells integers below 3^15 only");
        var sequence = new sbyte[Elements];
        sequence[0] = (sbyte)(value < 0 ? -1 : 0);
        for (var i = 1; i < Elements; i++, magnitude /= 3) sequence[i] = (sbyte)(magnitude % 3 - 1);
        return Tasks.Parity.OneHot([sequence], Elements);
    }

    /// <summary>The integer <see cref="Input"/> spelled in sample <paramref name="b"/> of <paramref name="inputs"/>.</summary>
    public static float ValueOf(float[] inputs, int b)
    {
        var row = inputs.AsSpan(b * InputWidth, InputWidth);
        var magnitude = 0L;
        for (var i = Elements - 1; i >= 1; i--) magnitude = magnitude * 3 + Tasks.Parity.ChannelOf(row.Slice(i * Tasks.Parity.Channels, Tasks.Parity.Channels));
        return Tasks.Parity.ChannelOf(row[..Tasks.Parity.Channels]) == 0 ? -magnitude : magnitude;
    }

    public static int LengthOf(float value) => (int)Math.Abs(value) % 5;

    public RunOutput Run(float[] inputs, int count)
    {
        Threads.Enqueue(Environment.CurrentManagedThreadId);
        var values = Enumerable.Range(0, count).Select(b => ValueOf(inputs, b)).ToArray();
        return new RunOutput(values.SelectMany(v => new[] { v, -v }).ToArray(), new TapeCompute(values.Select(LengthOf).ToArray()));
    }

    public TapeReadBatch Read(float[] inputs, int count)
    {
        var values = Enumerable.Range(0, count).Select(b => ValueOf(inputs, b)).ToArray();
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
