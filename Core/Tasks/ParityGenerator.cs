using System.Diagnostics.Contracts;

namespace AdaTapeDml.Core.Tasks;

/// <summary>The reference parity generator (elements i.i.d. uniform over {+1, 0, -1}), made seeded, pure and random-access:
/// example i of a stream is a function of (seed, stream, i) only, so any batch can be regenerated, e.g. on resume.
/// The evaluation set is the first <c>evalExamples</c> examples of the evaluation stream; the training stream skips
/// every sequence that is in it, so no training batch ever contains a held-out example.</summary>
public sealed class ParityGenerator
{
    private readonly HashSet<string> _evalKeys;

    public ParityGenerator(int seqLen, int evalExamples, int seed)
    {
        if (seqLen < 1) throw new ArgumentOutOfRangeException(nameof(seqLen), seqLen, "parity length must be >= 1");
        if (evalExamples < 0) throw new ArgumentOutOfRangeException(nameof(evalExamples), evalExamples, "must be >= 0");
        if (evalExamples > Math.Pow(3, seqLen) / 2)
            throw new ArgumentOutOfRangeException(nameof(evalExamples), evalExamples, $"at most half of the 3^{seqLen} sequences may be held out");
        (SeqLen, Seed) = (seqLen, seed);
        EvalSet = Enumerable.Range(0, evalExamples).Select(i => Draw(ParityStream.Evaluation, i, 0)).ToArray();
        _evalKeys = EvalSet.Select(Key).ToHashSet();
    }

    public int SeqLen { get; }
    public int Seed { get; }

    /// <summary>The held-out sequences, in stream order.</summary>
    public IReadOnlyList<sbyte[]> EvalSet { get; }

    /// <summary>Whether a sequence is held out.</summary>
    [Pure]
    public bool IsHeldOut(sbyte[] sequence) => _evalKeys.Contains(Key(sequence));

    /// <summary>Training example <paramref name="index"/> (never a held-out sequence).</summary>
    [Pure]
    public sbyte[] TrainExample(long index)
    {
        for (var attempt = 0; ; attempt++)
        {
            var candidate = Draw(ParityStream.Training, index, attempt);
            if (!_evalKeys.Contains(Key(candidate))) return candidate;
        }
    }

    /// <summary>Training batch <paramref name="batchIndex"/> of size <paramref name="batchSize"/>.</summary>
    [Pure]
    public ParityBatch TrainBatch(long batchIndex, int batchSize) =>
        ParityBatch.Of(Enumerable.Range(0, batchSize).Select(i => TrainExample(batchIndex * batchSize + i)).ToArray(), SeqLen);

    /// <summary>Evaluation batches of at most <paramref name="batchSize"/> examples covering the whole held-out set.</summary>
    [Pure]
    public IEnumerable<ParityBatch> EvalBatches(int batchSize) =>
        EvalSet.Chunk(batchSize).Select(chunk => ParityBatch.Of(chunk, SeqLen));

    /// <summary>Example (stream, index, attempt) from a counter-based generator (SplitMix64 over a mixed key).</summary>
    [Pure]
    private sbyte[] Draw(ParityStream stream, long index, int attempt)
    {
        var state = Mix((ulong)(uint)Seed ^ ((ulong)stream << 32)) ^ Mix((ulong)index * 0x9E3779B97F4A7C15UL + (ulong)attempt);
        var sequence = new sbyte[SeqLen];
        for (var i = 0; i < SeqLen; i++)
        {
            state += 0x9E3779B97F4A7C15UL;
            sequence[i] = (sbyte)((long)(Mix(state) % 3) - 1);   // uniform over {-1, 0, +1}; modulo bias ~1e-19
        }
        return sequence;
    }

    /// <summary>SplitMix64's finaliser: a bijective 64-bit mixer.</summary>
    [Pure]
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static string Key(sbyte[] sequence) => string.Create(sequence.Length, sequence, (span, s) =>
    {
        for (var i = 0; i < s.Length; i++) span[i] = (char)('1' + s[i]);
    });
}

/// <summary>The two independent example streams of a parity generator.</summary>
public enum ParityStream
{
    Training = 1,
    Evaluation = 2,
}
