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
        var kind = InputTokens.For(spec, task);
        var x = EmbeddingLayer.Emit(g, w, kind, e, task, input);                                              // [B, n, D]
        for (var l = 0; l < e.Depth; l++) x = EncoderBlockLayer.Emit(g, w, $"blocks.{l}", e, x, null, InputTokens.Count(kind, e, task), 0);
        return HeadLayer.Emit(g, w, e, task.NumClasses, x, null);
    }
}
