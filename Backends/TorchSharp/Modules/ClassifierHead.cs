using AdaTapeDml.Backends.TorchSharp.Models;
using AdaTapeDml.Core.Specs;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AdaTapeDml.Backends.TorchSharp.Modules;

/// <summary>Final LayerNorm, pooling (CLS token, or mean over valid tokens) and the zero-initialised output layer.</summary>
public sealed class ClassifierHead : nn.Module<Tensor, Tensor?, Tensor>
{
    private readonly LayerNorm encoder_norm;
    private readonly Linear output_projection;
    private readonly Classifier classifier;

    public ClassifierHead(long width, int classes, Classifier classifier) : base(nameof(ClassifierHead))
    {
        encoder_norm = nn.LayerNorm(width, Core.Numerics.LayerNormParams.Epsilon);
        output_projection = nn.Linear(width, classes);
        using (no_grad())
        {
            output_projection.weight.zero_();
            output_projection.bias!.zero_();
        }
        this.classifier = classifier;
        RegisterComponents();
    }

    /// <param name="x">[B, N, D] final hidden states.</param>
    /// <param name="valid">[B, N] bool tokens that take part in mean pooling; null = all.</param>
    /// <returns>[B, classes] logits.</returns>
    public override Tensor forward(Tensor x, Tensor? valid)
    {
        x = encoder_norm.forward(x);
        Tensor pooled;
        if (classifier == Classifier.Token) pooled = x[.., 0];
        else if (valid is null) pooled = x.mean([1]);
        else
        {
            var w = valid.to(x.dtype).unsqueeze(-1);                                                   // [B, N, 1]
            pooled = (x * w).sum(1) / w.sum(1);
        }
        return output_projection.forward(pooled);
    }

    /// <summary>The head over packed rows: each sample pooled by its layout weights (its own tokens only).</summary>
    public Tensor ForwardPacked(Tensor x, PackedTokens packed) =>
        output_projection.forward((packed.Pad(encoder_norm.forward(x)) * packed.PoolWeights).sum(1));
}
