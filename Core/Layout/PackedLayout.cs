using System.Diagnostics.Contracts;

namespace AdaTapeDml.Core.Layout;

/// <summary>Where every token of a micro-batch sits in packed (padding-free) ENCODE, computed on the host once per call
/// and read by every backend. Packed rows are [all input tokens, sample by sample (B·n rows) ; all tape tokens read,
/// sample by sample (sum of lengths, rounded up to a bucket with unused rows)]: per-token work (LayerNorm, projections,
/// feed-forward networks, the tape MLP) runs once over these rows, so a sample costs its own length. Attention alone is
/// per sample: rows are gathered into [B, Lmax] with a key mask and scattered back.</summary>
/// <param name="Count">B, samples.</param>
/// <param name="InputTokens">n, input tokens per sample entering the tape layer.</param>
/// <param name="MaxLength">Lmax = n + the longest tape of the micro-batch: the attention core's sequence length.</param>
/// <param name="TapeRows">Packed tape rows (the sum of lengths rounded up to the bucket; at least 1 so no tensor is empty).</param>
/// <param name="PadIndex">[B, Lmax] the packed row at each attention position (row 0 where the position is masked).</param>
/// <param name="UnpadIndex">[B·n + TapeRows] each packed row's attention position in the flattened [B, Lmax] (0 for unused rows).</param>
/// <param name="Valid">[B, Lmax] whether a position holds a real token (the key mask).</param>
/// <param name="PoolWeights">[B, Lmax] each position's weight in the pooled vector: 1 / (n + length) over a sample's tokens
/// for mean pooling, 1 on the CLS token for token pooling, 0 elsewhere.</param>
/// <param name="TapeSource">[TapeRows] the READ tape row ([B, T] flattened) each packed tape row takes, -1 for unused rows.</param>
public sealed record PackedLayout(int Count, int InputTokens, int MaxLength, int TapeRows, int[] PadIndex, int[] UnpadIndex,
    bool[] Valid, float[] PoolWeights, int[] TapeSource)
{
    /// <summary>B·n: the input rows, which come first.</summary>
    public int InputRows => Count * InputTokens;

    /// <summary>All packed rows: B·n + TapeRows.</summary>
    public int Rows => InputRows + TapeRows;

    /// <param name="lengths">Each sample's tape length.</param>
    /// <param name="inputTokens">n.</param>
    /// <param name="maxTape">T, the READ tape's slots per sample.</param>
    /// <param name="tokenPooling">The head pools the CLS token (else the mean over a sample's tokens).</param>
    /// <param name="tapeRowBucket">Tape rows are rounded up to a multiple of this (pinned shapes for DirectML); 1 = exact.</param>
    /// <param name="fullLength">Lmax is n + T whatever the lengths (pinned shapes), else n + the longest tape.</param>
    [Pure]
    public static PackedLayout From(IReadOnlyList<int> lengths, int inputTokens, int maxTape, bool tokenPooling, int tapeRowBucket = 1,
        bool fullLength = false)
    {
        var count = lengths.Count;
        if (count < 1) throw new ArgumentException("a packed ENCODE needs at least 1 sample", nameof(lengths));
        if (inputTokens < 1) throw new ArgumentOutOfRangeException(nameof(inputTokens), inputTokens, "must be >= 1");
        if (tapeRowBucket < 1) throw new ArgumentOutOfRangeException(nameof(tapeRowBucket), tapeRowBucket, "must be >= 1");
        var total = 0;
        var longest = 0;
        foreach (var length in lengths)
        {
            if (length < 0 || length > maxTape) throw new ArgumentOutOfRangeException(nameof(lengths), length, $"each tape length must lie in 0..{maxTape}");
            total += length;
            longest = Math.Max(longest, length);
        }
        var tapeRows = Math.Max(1, (total + tapeRowBucket - 1) / tapeRowBucket * tapeRowBucket);
        var maxLength = inputTokens + (fullLength ? maxTape : longest);
        var inputRows = count * inputTokens;
        var padIndex = new int[count * maxLength];
        var unpad = new int[inputRows + tapeRows];
        var valid = new bool[count * maxLength];
        var pool = new float[count * maxLength];
        var source = new int[tapeRows];
        Array.Fill(source, -1);
        var tapeRow = 0;
        for (var b = 0; b < count; b++)
        {
            var tokens = inputTokens + lengths[b];
            var weight = 1f / tokens;
            for (var j = 0; j < tokens; j++)
            {
                var position = b * maxLength + j;
                var row = j < inputTokens ? b * inputTokens + j : inputRows + tapeRow + (j - inputTokens);
                padIndex[position] = row;
                unpad[row] = position;
                valid[position] = true;
                pool[position] = tokenPooling ? (j == 0 ? 1f : 0f) : weight;
            }
            for (var i = 0; i < lengths[b]; i++) source[tapeRow + i] = b * maxTape + i;
            tapeRow += lengths[b];
        }
        return new PackedLayout(count, inputTokens, maxLength, tapeRows, padIndex, unpad, valid, pool, source);
    }

    /// <summary>The packed tape rows [TapeRows, D] gathered from a READ tape [B, T, D] (unused rows zero).</summary>
    [Pure]
    public float[] PackTape(ReadOnlySpan<float> tape, int width)
    {
        var packed = new float[TapeRows * width];
        for (var r = 0; r < TapeRows; r++)
            if (TapeSource[r] >= 0) tape.Slice(TapeSource[r] * width, width).CopyTo(packed.AsSpan(r * width, width));
        return packed;
    }
}
