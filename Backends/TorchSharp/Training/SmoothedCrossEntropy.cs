using static TorchSharp.torch;

namespace AdaTapeDml.Backends.TorchSharp.Training;

/// <summary>Cross-entropy against targets that put 1 - eps on the label and eps spread evenly over all C classes:
/// loss = (1 - eps) * CE(logits, label) + eps * mean over classes of -log softmax(logits). eps = 0 is plain cross-entropy.</summary>
public static class SmoothedCrossEntropy
{
    /// <param name="logits">[B, C].</param>
    /// <param name="labels">[B] int64 class indices.</param>
    /// <param name="epsilon">Share of the target spread over the classes, in [0, 1).</param>
    /// <returns>The batch mean, a scalar.</returns>
    public static Tensor Loss(Tensor logits, Tensor labels, double epsilon)
    {
        var hard = nn.functional.cross_entropy(logits, labels);
        if (epsilon == 0) return hard;
        var uniform = -nn.functional.log_softmax(logits, -1).mean([-1L]).mean();          // CE against the uniform target
        using var labelShare = (1 - epsilon).ToScalar();
        using var uniformShare = epsilon.ToScalar();
        return hard.mul(labelShare).add(uniform, uniformShare);                              // (1 - eps) CE + eps uniform
    }
}
