using AdaTapeDml.Backends.TorchSharp.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AdaTapeDml.Backends.TorchSharp.Modules;

/// <summary>Pre-LN Transformer block. When the sequence ends with tape tokens and a separate tape FFN is configured
/// (encTtMlpDim), those tokens use their own GLU feed-forward network; attention is always shared.</summary>
public sealed class EncoderBlock : nn.Module<Tensor, Tensor?, long, Tensor>
{
    private readonly LayerNorm ln1;
    private readonly SelfAttention attn;
    private readonly LayerNorm ln2;
    private readonly GeluMlp mlp;
    private readonly GluMlp? tape_mlp;
    private readonly double dropout;

    public EncoderBlock(long width, long heads, long mlpDim, double dropout, long tapeMlpDim) : base(nameof(EncoderBlock))
    {
        ln1 = nn.LayerNorm(width, Core.Numerics.LayerNormParams.Epsilon);
        attn = new SelfAttention(width, heads, dropout);
        ln2 = nn.LayerNorm(width, Core.Numerics.LayerNormParams.Epsilon);
        mlp = new GeluMlp(width, mlpDim, dropout);
        tape_mlp = tapeMlpDim > 0 ? new GluMlp(width, tapeMlpDim) : null;
        this.dropout = dropout;
        RegisterComponents();
    }

    /// <param name="x">[B, N + t, D]</param>
    /// <param name="keyBias">[B, 1, 1, N + t] additive key mask or null.</param>
    /// <param name="tapeTokens">t, the number of trailing tape slots.</param>
    public override Tensor forward(Tensor x, Tensor? keyBias, long tapeTokens)
    {
        x = x.Plus(Dropout.Apply(attn.forward(ln1.forward(x), keyBias), dropout, training));
        var y = ln2.forward(x);
        if (tape_mlp is null || tapeTokens == 0) return x.Plus(mlp.forward(y));
        var inputs = y.shape[1] - tapeTokens;
        return x.Plus(cat([mlp.forward(y[.., ..(int)inputs]), tape_mlp.forward(y[.., (int)inputs..])], 1));
    }

    /// <summary>The block over packed rows [B·n input rows ; tape rows] (inference: no dropout).</summary>
    public Tensor ForwardPacked(Tensor x, PackedTokens packed)
    {
        x = x.Plus(attn.ForwardPacked(ln1.forward(x), packed));
        var y = ln2.forward(x);
        if (tape_mlp is null) return x.Plus(mlp.forward(y));
        var inputs = packed.Layout.InputRows;
        return x.Plus(cat([mlp.forward(y.narrow(0, 0, inputs)), tape_mlp.forward(y.narrow(0, inputs, packed.Layout.TapeRows))], 0));
    }
}
