namespace AdaTapeDml.Pipelines.Inference;

/// <summary>How READ results are grouped before ENCODE: by exact tape length (each sample costs exactly its tape), or by
/// buckets of <paramref name="Width"/> lengths (fewer, larger ENCODE calls; a sample pays up to Width - 1 masked slots).</summary>
/// <param name="Width">Lengths per bucket; 1 = exact grouping.</param>
public sealed record LengthGrouping(int Width = 1)
{
    public static readonly LengthGrouping Exact = new(1);

    /// <summary>The bucket of a tape length.</summary>
    public int BucketOf(int length) => length / Width;
}
