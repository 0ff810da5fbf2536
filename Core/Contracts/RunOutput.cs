namespace AdaTapeDml.Core.Contracts;

/// <summary>What a padded run of a batch returns: logits and what each sample computed. Deconstructs to
/// (logits, tape lengths), as callers of the padded run have always read it.</summary>
public sealed record RunOutput
{
    /// <param name="logits">[B, classes] row-major.</param>
    /// <param name="compute">Per-sample adaptive statistic (tape lengths, UT steps, token depths, or none).</param>
    public RunOutput(float[] logits, SampleCompute compute) => (Logits, Compute) = (logits, compute);

    /// <summary>[B, classes] row-major.</summary>
    public float[] Logits { get; init; }

    /// <summary>Per-sample adaptive statistic (tape lengths, UT steps, token depths, or none).</summary>
    public SampleCompute Compute { get; init; }

    /// <summary>Tape lengths (zeros without a tape).</summary>
    public int[] Lengths => Compute.TapeLengths;

    public void Deconstruct(out float[] logits, out int[] lengths) => (logits, lengths) = (Logits, Lengths);
}
