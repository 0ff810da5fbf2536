namespace AdaTapeDml.Core.Contracts;

/// <summary>A batch in backend-neutral form: row-major float inputs of the given shape, and integer labels.</summary>
/// <param name="Inputs">Parity one-hot [B, L, 3] or images [B, 1, 28, 28], row-major.</param>
/// <param name="Shape">The input shape.</param>
/// <param name="Labels">[B] class labels.</param>
public sealed record LabeledBatch(float[] Inputs, long[] Shape, int[] Labels)
{
    public int Count => Labels.Length;
}
