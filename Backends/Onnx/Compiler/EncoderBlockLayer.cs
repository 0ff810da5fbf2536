using AdaTapeDml.Backends.Onnx.Graph;
using AdaTapeDml.Core.Specs;

namespace AdaTapeDml.Backends.Onnx.Compiler;

/// <summary>The pre-LN encoder block (EncoderBlock.cs): x + attn(ln1 x), then x + ffn(ln2 x), where the trailing tape
/// slots use their own GLU FFN when the block has one (encTtMlpDim).</summary>
public static class EncoderBlockLayer
{
    /// <param name="x">[B, n + t, D]</param>
    /// <param name="keyBias">[B, 1, 1, n + t] additive key mask, or null when every key is valid.</param>
    /// <param name="inputTokens">n: tokens before the tape slots (static).</param>
    /// <param name="tapeMlpDim">Hidden width of the block's tape FFN; 0 = shared FFN (or no tape).</param>
    /// <param name="singleToken">x holds one token (parity READ): attention is that token's value.</param>
    public static string Emit(OnnxGraphBuilder g, ModelWeights w, string prefix, EncoderSpec e, string x, string? keyBias, int inputTokens, int tapeMlpDim,
        bool singleToken = false)
    {
        x = g.Add(x, AttentionLayer.Emit(g, w, $"{prefix}.attn", e, DenseLayers.LayerNorm(g, w, $"{prefix}.ln1", x, e.Width), keyBias, singleToken));
        var y = DenseLayers.LayerNorm(g, w, $"{prefix}.ln2", x, e.Width);
        if (tapeMlpDim == 0) return g.Add(x, DenseLayers.GeluMlp(g, w, $"{prefix}.mlp", y, e.Width, e.MlpDim));
        var tokens = DenseLayers.GeluMlp(g, w, $"{prefix}.mlp", g.Slice(y, 1, 0, inputTokens), e.Width, e.MlpDim);
        var tape = DenseLayers.GluMlp(g, w, $"{prefix}.tape_mlp", g.Slice(y, 1, inputTokens, long.MaxValue), e.Width, tapeMlpDim);
        return g.Add(x, g.Concat(1, tokens, tape));
    }

    /// <summary>The block over packed rows [B·n input rows ; tape rows]; with a separate tape FFN the rows split where the
    /// tape rows begin.</summary>
    public static string EmitPacked(OnnxGraphBuilder g, ModelWeights w, string prefix, EncoderSpec e, string x, PackedGraphInputs packed, int tapeMlpDim)
    {
        x = g.Add(x, AttentionLayer.EmitPacked(g, w, $"{prefix}.attn", e, DenseLayers.LayerNorm(g, w, $"{prefix}.ln1", x, e.Width), packed));
        var y = DenseLayers.LayerNorm(g, w, $"{prefix}.ln2", x, e.Width);
        if (tapeMlpDim == 0) return g.Add(x, DenseLayers.GeluMlp(g, w, $"{prefix}.mlp", y, e.Width, e.MlpDim));
        if (packed.InputRowIndex is null || packed.TapeRowIndex is null) throw new ArgumentException("a separate tape FFN needs the row indices", nameof(packed));
        var tokens = DenseLayers.GeluMlp(g, w, $"{prefix}.mlp", g.Gather(y, packed.InputRowIndex, 0), e.Width, e.MlpDim);
        var tape = DenseLayers.GluMlp(g, w, $"{prefix}.tape_mlp", g.Gather(y, packed.TapeRowIndex, 0), e.Width, tapeMlpDim);
        return g.Add(x, g.Concat(0, tokens, tape));
    }
}
