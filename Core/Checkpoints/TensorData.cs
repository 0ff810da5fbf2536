namespace AdaTapeDml.Core.Checkpoints;

/// <summary>A named float32 tensor in backend-neutral form (row-major).</summary>
public sealed record TensorData(long[] Shape, float[] Values)
{
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);
}
