using AdaTapeDml.Backends.TorchSharp.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AdaTapeDml.Backends.TorchSharp.Modules;

/// <summary>Multi-head self-attention with an optional key mask (invalid tape slots are never attended to).</summary>
public sealed class SelfAttention : nn.Module<Tensor, Tensor?, Tensor>
{
    private readonly Linear qkv;
    private readonly Linear proj;
    private readonly long heads;
    private readonly double dropout;

    public SelfAttention(long width, long heads, double dropout) : base(nameof(SelfAttention))
    {
        qkv = Init.Dense(width, 3 * width);
        proj = Init.Dense(width, width);
        (this.heads, this.dropout) = (heads, dropout);
        RegisterComponents();
    }

    /// <param name="x">[B, N, D]</param>
    /// <param name="keyBias">[B, 1, 1, N] additive: 0 for valid keys, -inf for masked ones; null when all are valid.</param>
    public override Tensor forward(Tensor x, Tensor? keyBias)
    {
        var (b, n, d) = (x.shape[0], x.shape[1], x.shape[2]);
        if (n == 1 && keyBias is null && !training) return proj.forward(Value(x, d));                // parity READ's single token
        var parts = qkv.forward(x).view(b, n, 3, heads, d / heads).permute(2, 0, 3, 1, 4);          // [3, B, H, N, Dh]
        var y = nn.functional.scaled_dot_product_attention(parts[0], parts[1], parts[2], keyBias, training ? dropout : 0); // [B, H, N, Dh]
        return proj.forward(y.transpose(1, 2).reshape(b, n, d));                                     // [B, N, D]
    }

    /// <summary>A lone token attends only to itself: its softmax weight is exactly 1, so attention returns its value, and
    /// the query and key projections and the scores are skipped (inference only; the cost model still counts them, as
    /// the model defines them).</summary>
    private Tensor Value(Tensor x, long d) => nn.functional.linear(x, qkv.weight!.narrow(0, 2 * d, d), qkv.bias!.narrow(0, 2 * d, d));

    /// <summary>Attention over packed rows [rows, D]: the projections run once per row; only the attention core runs per
    /// sample, on rows gathered into [B, Lmax] with the padding masked as keys.</summary>
    public Tensor ForwardPacked(Tensor x, PackedTokens packed)
    {
        var d = x.shape[1];
        var (b, lmax) = (packed.Layout.Count, packed.Layout.MaxLength);
        var parts = packed.Pad(qkv.forward(x)).view(b, lmax, 3, heads, d / heads).permute(2, 0, 3, 1, 4); // [3, B, H, Lmax, Dh]
        var y = nn.functional.scaled_dot_product_attention(parts[0], parts[1], parts[2], packed.KeyBias);    // [B, H, Lmax, Dh]
        return proj.forward(packed.Unpad(y.transpose(1, 2)));                                              // [rows, D]
    }
}
