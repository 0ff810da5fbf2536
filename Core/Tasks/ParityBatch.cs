namespace AdaTapeDml.Core.Tasks;

/// <summary>A batch of parity examples: one-hot inputs [B, L, 3] (row-major) and labels [B].</summary>
public sealed record ParityBatch(IReadOnlyList<sbyte[]> Sequences, float[] OneHot, int[] Labels, int SeqLen)
{
    public int Count => Labels.Length;

    public static ParityBatch Of(IReadOnlyList<sbyte[]> sequences, int seqLen) =>
        new(sequences, Parity.OneHot(sequences, seqLen), sequences.Select(s => Parity.LabelOf(s)).ToArray(), seqLen);
}
