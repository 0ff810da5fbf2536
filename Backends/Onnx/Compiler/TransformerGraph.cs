using AdaTapeDml.Core.Layout;
using AdaTapeDml.Backends.Onnx.Graph;
using AdaTapeDml.Core.Specs;

namespace AdaTapeDml.Backends.Onnx.Compiler;

/// <summary>The plain Transformer / ViT baseline (TransformerModel.cs): embedding, depth blocks, head.</summary>
public static class TransformerGraph
{
    /// <returns>logits [B, classes]</returns>
    public static string Emit(OnnxGraphBuilder g, ModelWeights w, TransformerModelSpec spec, TaskSpec task, string input)
    {
        var e = spec.Encoder;
        var layout = ModelLayout.Of(spec, task);
        var x = EmbeddingLayer.Emit(g, w, layout, e, task, input);                                             // [B, n, D]
        for (var l = 0; l < e.Depth; l++) x = EncoderBlockLayer.Emit(g, w, $"blocks.{l}", e, x, null, layout.Tokens, 0);
        return HeadLayer.Emit(g, w, e, task.NumClasses, x, null);
    }
}
