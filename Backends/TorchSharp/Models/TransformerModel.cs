using AdaTapeDml.Core.Layout;
using AdaTapeDml.Backends.TorchSharp.Modules;
using AdaTapeDml.Core.Specs;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AdaTapeDml.Backends.TorchSharp.Models;

/// <summary>The plain Transformer baseline: per-element tokens (or patches) with position embeddings, depth blocks, head.</summary>
public sealed class TransformerModel : ClassifierModel
{
    private readonly InputEmbedding embedding;
    private readonly ModuleList<EncoderBlock> blocks;
    private readonly ClassifierHead head;

    public TransformerModel(TransformerModelSpec spec, TaskSpec task) : base(nameof(TransformerModel))
    {
        var e = spec.Encoder;
        embedding = new InputEmbedding(ModelLayout.KindOf(spec, task), e, task);
        blocks = nn.ModuleList(Enumerable.Range(0, e.Depth).Select(_ => new EncoderBlock(e.Width, e.Heads, e.MlpDim, e.Dropout, 0)).ToArray());
        head = new ClassifierHead(e.Width, task.NumClasses, e.Classifier);
        RegisterComponents();
    }

    public override double AuxLossWeight => 0;

    public override ModelOutput forward(Tensor input)
    {
        var x = embedding.forward(input);                                                          // [B, n, D]
        foreach (var block in blocks) x = block.forward(x, null, 0);
        var logits = head.forward(x, null);
        return new ModelOutput(logits, zeros(logits.shape[0], device: logits.device));
    }
}
