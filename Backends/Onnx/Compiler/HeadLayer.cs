using AdaTapeDml.Backends.Onnx.Graph;
using AdaTapeDml.Core.Specs;

namespace AdaTapeDml.Backends.Onnx.Compiler;

/// <summary>The classifier head (ClassifierHead.cs): final LayerNorm, pooling (CLS, mean, or mean over valid tokens), Dense.</summary>
public static class HeadLayer
{
    /// <param name="x">[B, N, D]</param>
    /// <param name="valid">[B, N] float 1/0 tokens that take part in mean pooling, or null for all.</param>
    /// <returns>[B, classes]</returns>
    public static string Emit(OnnxGraphBuilder g, ModelWeights w, EncoderSpec e, int classes, string x, string? valid)
    {
        x = DenseLayers.LayerNorm(g, w, "head.encoder_norm", x, e.Width);
        string pooled;
        if (e.Classifier == Classifier.Token) pooled = g.Gather(x, g.Int32Scalar(0), 1);                 // [B, D]
        else if (valid is null) pooled = g.ReduceMean(x, 1);
        else pooled = g.Div(g.ReduceSum(g.Mul(x, g.Unsqueeze(valid, -1)), 1), g.ReduceSum(valid, 1, keepDims: true));
        return DenseLayers.Dense(g, w, "head.output_projection", pooled, e.Width, classes);
    }

    /// <summary>The head over packed rows: final LayerNorm per row, each sample pooled by its layout weights.</summary>
    public static string EmitPacked(OnnxGraphBuilder g, ModelWeights w, EncoderSpec e, int classes, string x, PackedGraphInputs packed)
    {
        var normed = DenseLayers.LayerNorm(g, w, "head.encoder_norm", x, e.Width);
        var pooled = g.ReduceSum(g.Mul(g.Gather(normed, packed.PadIndex, 0), packed.PoolWeights), 1);       // [B, D]
        return DenseLayers.Dense(g, w, "head.output_projection", pooled, e.Width, classes);
    }
}
