using AdaTapeDml.Backends.Onnx.Graph;
using AdaTapeDml.Core.Specs;

namespace AdaTapeDml.Backends.Onnx.Compiler;

/// <summary>Multi-head self-attention (SelfAttention.cs): fused qkv projection, softmax(q kᵀ / sqrt(dh) + key bias) v, proj.</summary>
public static class AttentionLayer
{
    /// <param name="x">[B, N, D]</param>
    /// <param name="keyBias">[B, 1, 1, N] additive (0 or a large negative), or null.</param>
    public static string Emit(OnnxGraphBuilder g, ModelWeights w, string prefix, EncoderSpec e, string x, string? keyBias)
    {
        var (d, heads) = (e.Width, e.Heads);
        var dh = d / heads;
        var qkv = DenseLayers.Dense(g, w, $"{prefix}.qkv", x, d, 3 * d);                          // [B, N, 3D]
        var parts = g.Transpose(g.Reshape(qkv, 0, 0, 3, heads, dh), 2, 0, 3, 1, 4);                // [3, B, H, N, dh]
        var q = g.Gather(parts, g.Int32Scalar(0), 0);                                                // [B, H, N, dh]
        var k = g.Transpose(g.Gather(parts, g.Int32Scalar(1), 0), 0, 1, 3, 2);                       // [B, H, dh, N]
        var v = g.Gather(parts, g.Int32Scalar(2), 0);                                                // [B, H, N, dh]
        var scores = g.Mul(g.MatMul(q, k), g.Scalar((float)(1 / Math.Sqrt(dh))));                   // [B, H, N, N]
        if (keyBias is not null) scores = g.Add(scores, keyBias);
        var y = g.MatMul(g.Softmax(scores), v);                                                      // [B, H, N, dh]
        var merged = g.Reshape(g.Transpose(y, 0, 2, 1, 3), 0, 0, d);                                 // [B, N, D]
        return DenseLayers.Dense(g, w, $"{prefix}.proj", merged, d, d);
    }
}
