using AdaTapeDml.Backends.Onnx.Graph;

namespace AdaTapeDml.Backends.Onnx.Compiler;

/// <summary>Linear layers and the two feed-forward networks of the TorchSharp modules (Dense, GeluMlp, GluMlp).</summary>
public static class DenseLayers
{
    /// <summary>torch Linear "prefix.weight" [out, in] / "prefix.bias" [out]: y = x · Wᵀ + b over the last axis.</summary>
    public static string Dense(OnnxGraphBuilder g, ModelWeights w, string prefix, string x, int inputs, int outputs) =>
        DenseRows(g, w, prefix, x, inputs, outputs, 0, outputs);

    /// <summary>Only output rows [from, from + count) of a Linear: how fused weights (qkv, GLU halves) are split.</summary>
    public static string DenseRows(OnnxGraphBuilder g, ModelWeights w, string prefix, string x, int inputs, int outputs, int from, int count)
    {
        var weight = w.Get($"{prefix}.weight", outputs, inputs);
        var bias = w.Get($"{prefix}.bias", outputs).Values.AsSpan(from, count).ToArray();
        var kernel = g.Weight($"{prefix}.weight", ModelWeights.TransposedRows(weight, from, count), inputs, count);
        return g.Add(g.MatMul(x, kernel), g.Weight($"{prefix}.bias", bias, count));
    }

    /// <summary>GeluMlp: Dense(H) -> exact GELU (erf form, as torch's default) -> Dense(D).</summary>
    public static string GeluMlp(OnnxGraphBuilder g, ModelWeights w, string prefix, string x, int width, int hidden)
    {
        var h = Dense(g, w, $"{prefix}.fc1", x, width, hidden);
        // x * (1 + erf(x / sqrt 2)) * 0.5: the node order ONNX Runtime's Gelu fusion recognises.
        var gelu = g.Mul(g.Mul(h, g.Add(g.Erf(g.Div(h, g.Scalar((float)Math.Sqrt(2)))), g.Scalar(1f))), g.Scalar(0.5f));
        return Dense(g, w, $"{prefix}.fc2", gelu, hidden, width);
    }

    /// <summary>GluMlp: Dense(2H) -> a * sigmoid(b) (a = first half, b = second half, as torch's glu) -> Dense(D).</summary>
    public static string GluMlp(OnnxGraphBuilder g, ModelWeights w, string prefix, string x, int width, int hidden)
    {
        var a = DenseRows(g, w, $"{prefix}.fc1", x, width, 2 * hidden, 0, hidden);
        var b = DenseRows(g, w, $"{prefix}.fc1", x, width, 2 * hidden, hidden, hidden);
        return Dense(g, w, $"{prefix}.fc2", g.Mul(a, g.Sigmoid(b)), hidden, width);
    }

    /// <summary>torch LayerNorm "prefix.weight" / "prefix.bias" over the last axis (eps 1e-6, as every backend).</summary>
    public static string LayerNorm(OnnxGraphBuilder g, ModelWeights w, string prefix, string x, int width) =>
        g.LayerNorm(x, g.Weight($"{prefix}.weight", w.Get($"{prefix}.weight", width).Values, width),
            g.Weight($"{prefix}.bias", w.Get($"{prefix}.bias", width).Values, width), Core.Numerics.LayerNormParams.Epsilon);
}
