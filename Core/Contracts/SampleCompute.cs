namespace AdaTapeDml.Core.Contracts;

/// <summary>What each sample of a batch computed, as its model kind adapts it: the one per-sample statistic every
/// inference session reports and the cost model prices. Closed hierarchy.</summary>
public abstract record SampleCompute
{
    private protected SampleCompute() { }

    /// <summary>Samples described.</summary>
    public abstract int Count { get; }

    /// <summary>The adaptive statistic of sample <paramref name="sample"/>: tape length (AdaTape), halting steps (UT), mean
    /// token depth (A-ViT), 0 for a model that does not adapt.</summary>
    public abstract double Statistic(int sample);

    /// <summary>Tape lengths as the padded-run contract has reported them: the lengths for AdaTape, zeros otherwise.</summary>
    public virtual int[] TapeLengths => new int[Count];
}

/// <summary>A model that computes the same for every sample (the plain Transformer / ViT).</summary>
public sealed record FixedCompute(int Samples) : SampleCompute
{
    public override int Count => Samples;
    public override double Statistic(int sample) => 0;
}

/// <summary>AdaTape: each sample's tape length (0..T).</summary>
public sealed record TapeCompute(int[] Lengths) : SampleCompute
{
    public override int Count => Lengths.Length;
    public override double Statistic(int sample) => Lengths[sample];
    public override int[] TapeLengths => Lengths;
}

/// <summary>Universal Transformer: each sample's halting depth, the steps until all its positions halted (capped at
/// maxSteps); what the sample would be computed with if it ran alone.</summary>
public sealed record HaltingStepsCompute(int[] Steps) : SampleCompute
{
    public override int Count => Steps.Length;
    public override double Statistic(int sample) => Steps[sample];
}

/// <summary>A-ViT: the depth of every token (1..L, the layers it went through), row-major [B, tokens].</summary>
public sealed record TokenDepthCompute(int Tokens, int[] Depths) : SampleCompute
{
    public override int Count => Depths.Length / Tokens;

    /// <summary>Mean token depth of the sample.</summary>
    public override double Statistic(int sample) => DepthsOf(sample).ToArray().Average();

    /// <summary>The depths of one sample's tokens.</summary>
    public ReadOnlySpan<int> DepthsOf(int sample) => Depths.AsSpan(sample * Tokens, Tokens);
}
