using AdaTapeDml.Backends.Onnx.Graph;
using AdaTapeDml.Core.Specs;

namespace AdaTapeDml.Backends.Onnx.Compiler;

/// <summary>Multi-head self-attention (SelfAttention.cs): fused qkv projection, softmax(q kᵀ / sqrt(dh) + key bias) v, proj.</summary>
public static class AttentionLayer
{
    /// <param name="x">[B, N, D]</param>
    /// <param name="keyBias">[B, 1, 1, N] additive (0 or a large negative), or null.</param>
    public static string Emit(OnnxGraphBuilder g, ModelWeights w, string prefix, EncoderSpec e, string x, string? keyBias, bool singleToken = false)
    {
        // A lone token attends only to itself (softmax weight exactly 1): the output is its value, no query, key or scores.
        if (singleToken && keyBias is null)
            return DenseLayers.Dense(g, w, $"{prefix}.proj", DenseLayers.DenseRows(g, w, $"{prefix}.qkv", x, e.Width, 3 * e.Width, 2 * e.Width, e.Width), e.Width, e.Width);
        var qkv = DenseLayers.Dense(g, w, $"{prefix}.qkv", x, e.Width, 3 * e.Width);              // [B, N, 3D]
        var merged = Core(g, qkv, keyBias, e.Width, e.Heads);                                        // [B, N, D]
        return DenseLayers.Dense(g, w, $"{prefix}.proj", merged, e.Width, e.Width);
    }

    /// <summary>Attention over packed rows [rows, D]: projections once per row, the attention core per sample on rows
    /// gathered into [B, Lmax] (padding masked as keys), scattered back before the output projection.</summary>
    public static string EmitPacked(OnnxGraphBuilder g, ModelWeights w, string prefix, EncoderSpec e, string x, PackedGraphInputs packed)
    {
        var (d, heads) = (e.Width, e.Heads);
        var qkv = g.Gather(DenseLayers.Dense(g, w, $"{prefix}.qkv", x, d, 3 * d), packed.PadIndex, 0);    // [B, Lmax, 3D]
        var merged = Core(g, qkv, packed.KeyBias, d, heads);                                          // [B, Lmax, D]
        var rows = g.Gather(g.Reshape(merged, -1, d), packed.UnpadIndex, 0);                          // [rows, D]
        return DenseLayers.Dense(g, w, $"{prefix}.proj", rows, d, d);
    }

    /// <summary>softmax(q kᵀ / sqrt(dh) + key bias) v per head, from fused qkv [B, N, 3D] to [B, N, D].</summary>
    private static string Core(OnnxGraphBuilder g, string qkv, string? keyBias, int d, int heads)
    {
        var dh = d / heads;
        var parts = g.Transpose(g.Reshape(qkv, 0, 0, 3, heads, dh), 2, 0, 3, 1, 4);                // [3, B, H, N, dh]
        var q = g.Gather(parts, g.Int32Scalar(0), 0);                                                // [B, H, N, dh]
        var k = g.Transpose(g.Gather(parts, g.Int32Scalar(1), 0), 0, 1, 3, 2);                       // [B, H, dh, N]
        var v = g.Gather(parts, g.Int32Scalar(2), 0);                                                // [B, H, N, dh]
        var scores = g.Mul(g.MatMul(q, k), g.Scalar((float)(1 / Math.Sqrt(dh))));                   // [B, H, N, N]
        if (keyBias is not null) scores = g.Add(scores, keyBias);
        var y = g.MatMul(g.Softmax(scores), v);                                                      // [B, H, N, dh]
        return g.Reshape(g.Transpose(y, 0, 2, 1, 3), 0, 0, d);                                       // [B, N, D]
    }
}
