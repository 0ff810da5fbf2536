namespace AdaTapeDml.Core.Cost;

/// <summary>Forward FLOPs of one sample, by part (a multiply-add counts as 2 FLOPs; matmul-like work only:
/// norms, softmax and activations are a few percent and are left out, as in the usual Transformer counts).</summary>
public sealed record CostBreakdown(long Embedding, long Bank, long Atr, long TapeMlp, long Blocks, long Halting, long Head)
{
    public long Total => Embedding + Bank + Atr + TapeMlp + Blocks + Halting + Head;
}
