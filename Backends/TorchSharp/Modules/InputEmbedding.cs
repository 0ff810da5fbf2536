using AdaTapeDml.Core.Layout;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Core.Tasks;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AdaTapeDml.Backends.TorchSharp.Modules;

/// <summary>How inputs become tokens: the whole parity sequence as one token (AdaTape parity, as the reference),
/// one token per parity element with position embeddings (baselines), or image patches with position embeddings.
/// A CLS token is prepended when the classifier is 'token'.</summary>
public sealed class InputEmbedding : nn.Module<Tensor, Tensor>
{
    private readonly Linear? embedding;
    private readonly Conv2d? patch_embedding;
    private readonly Parameter? pos_embedding;
    private readonly Parameter? cls;
    private readonly InputTokenKind kind;

    public InputEmbedding(InputTokenKind kind, EncoderSpec encoder, TaskSpec task) : base(nameof(InputEmbedding))
    {
        this.kind = kind;
        var d = encoder.Width;
        var clsTokens = encoder.Classifier == Classifier.Token ? 1 : 0;
        switch (kind)
        {
            case InputTokenKind.WholeSequence:
                embedding = Init.Dense(Parity.Channels * ((ParityTaskSpec)task).SeqLen, d);
                break;
            case InputTokenKind.PerElement:
                embedding = Init.Dense(Parity.Channels, d);
                pos_embedding = Init.Normal(1, ((ParityTaskSpec)task).SeqLen + clsTokens, d);
                break;
            case InputTokenKind.Patches:
                var p = encoder.PatchSize;
                var side = FashionMnistTaskSpec.ImageSize / p;
                patch_embedding = nn.Conv2d(1, d, p, stride: p);
                pos_embedding = Init.Normal(1, side * side + clsTokens, d);
                break;
        }
        if (clsTokens == 1) cls = new Parameter(zeros(1, 1, d, device: CPU));                     // built on the CPU, moved by ModelFactory
        RegisterComponents();
    }

    /// <param name="input">Parity one-hot [B, L, 3] or images [B, 1, 28, 28].</param>
    /// <returns>[B, n, D]</returns>
    public override Tensor forward(Tensor input)
    {
        var b = input.shape[0];
        var x = kind switch
        {
            InputTokenKind.WholeSequence => embedding!.forward(input.reshape(b, 1, -1)),               // [B, 1, D]
            InputTokenKind.PerElement => embedding!.forward(input),                                   // [B, L, D]
            _ => patch_embedding!.forward(input).flatten(2).transpose(1, 2),                       // [B, hw, D]
        };
        if (cls is not null) x = cat([cls.expand(b, -1, -1), x], 1);
        return pos_embedding is null ? x : x.Plus(pos_embedding);
    }
}
