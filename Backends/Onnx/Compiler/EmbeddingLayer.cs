using AdaTapeDml.Core.Layout;
using AdaTapeDml.Backends.Onnx.Graph;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Core.Tasks;

namespace AdaTapeDml.Backends.Onnx.Compiler;

/// <summary>The input embedding (InputEmbedding.cs): Dense over the flattened sequence, Dense per element + position
/// embedding, or a strided patch convolution + position embedding; a CLS token is prepended for the 'token' classifier.</summary>
public static class EmbeddingLayer
{
    /// <param name="input">[B, L, 3] parity one-hot or [B, 1, 28, 28] images.</param>
    /// <returns>[B, n, D]</returns>
    public static string Emit(OnnxGraphBuilder g, ModelWeights w, ModelLayout layout, EncoderSpec e, TaskSpec task, string input)
    {
        var d = e.Width;
        var x = layout.InputKind switch
        {
            InputTokenKind.WholeSequence => DenseLayers.Dense(g, w, "embedding.embedding",
                g.Reshape(input, 0, 1, Parity.Channels * ((ParityTaskSpec)task).SeqLen),          // [B, 1, 3L]
                Parity.Channels * ((ParityTaskSpec)task).SeqLen, d),                              // [B, 1, D]
            InputTokenKind.PerElement => DenseLayers.Dense(g, w, "embedding.embedding", input, Parity.Channels, d), // [B, L, D]
            _ => PatchTokens(g, w, "embedding.patch_embedding", input, d, e.PatchSize),                        // [B, hw, D]
        };
        var tokens = layout.Tokens;
        if (e.Classifier == Classifier.Token)
        {
            var cls = g.Weight("embedding.cls", w.Get("embedding.cls", 1, 1, d).Values, 1, 1, d);
            // cls broadcast to [B, 1, D] by Where over an all-true mask shaped like the first token: Expand to a shape
            // computed from Shape(input) would need that shape as a CPU constant on DirectML.
            var perSample = g.AllTrue(g.Slice(x, 1, 0, 1));                                                 // [B, 1, D]
            x = g.Concat(1, g.Where(perSample, cls, cls), x);
        }
        if (layout.InputKind == InputTokenKind.WholeSequence) return x;
        return g.Add(x, g.Weight("embedding.pos_embedding", w.Get("embedding.pos_embedding", 1, tokens, d).Values, 1, tokens, d));
    }

    /// <summary>Conv2d(1 -> D, kernel = stride = patch) over [B, 1, 28, 28], flattened to tokens [B, hw, D].</summary>
    public static string PatchTokens(OnnxGraphBuilder g, ModelWeights w, string prefix, string images, int width, int patch)
    {
        var kernel = g.Weight($"{prefix}.weight", w.Get($"{prefix}.weight", width, 1, patch, patch).Values, width, 1, patch, patch);
        var bias = g.Weight($"{prefix}.bias", w.Get($"{prefix}.bias", width).Values, width);
        var conv = g.Op("Conv", [images, kernel, bias], OnnxAttribute.Ints("kernel_shape", patch, patch), OnnxAttribute.Ints("strides", patch, patch)); // [B, D, h, w]
        return g.Transpose(g.Reshape(conv, 0, width, -1), 0, 2, 1);                                 // [B, hw, D]
    }
}
