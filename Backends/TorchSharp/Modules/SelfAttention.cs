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
        var parts = qkv.forward(x).view(b, n, 3, heads, d / heads).permute(2, 0, 3, 1, 4);          // [3, B, H, N, Dh]
        var y = nn.functional.scaled_dot_product_attention(parts[0], parts[1], parts[2], keyBias, training ? dropout : 0); // [B, H, N, Dh]
        return proj.forward(y.transpose(1, 2).reshape(b, n, d));                                     // [B, N, D]
    }

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
