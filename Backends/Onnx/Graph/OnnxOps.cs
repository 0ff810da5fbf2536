using AdaTapeDml.Backends.Onnx.Proto;
using static AdaTapeDml.Backends.Onnx.Graph.OnnxAttribute;

namespace AdaTapeDml.Backends.Onnx.Graph;

/// <summary>Opset-17 operators as typed calls on a graph builder, so model code reads like the TorchSharp modules.
/// (Opset 17: ReduceSum/Squeeze/Unsqueeze take axes as an input; ReduceMean/ReduceMax still as an attribute.)</summary>
public static class OnnxOps
{
    public static string Add(this OnnxGraphBuilder g, string a, string b) => g.Op("Add", [a, b]);
    public static string Sub(this OnnxGraphBuilder g, string a, string b) => g.Op("Sub", [a, b]);
    public static string Mul(this OnnxGraphBuilder g, string a, string b) => g.Op("Mul", [a, b]);
    public static string Div(this OnnxGraphBuilder g, string a, string b) => g.Op("Div", [a, b]);
    public static string Min(this OnnxGraphBuilder g, string a, string b) => g.Op("Min", [a, b]);
    public static string MatMul(this OnnxGraphBuilder g, string a, string b) => g.Op("MatMul", [a, b]);
    public static string Erf(this OnnxGraphBuilder g, string x) => g.Op("Erf", [x]);
    public static string Sigmoid(this OnnxGraphBuilder g, string x) => g.Op("Sigmoid", [x]);
    public static string Softmax(this OnnxGraphBuilder g, string x, long axis = -1) => g.Op("Softmax", [x], Int("axis", axis));
    public static string Where(this OnnxGraphBuilder g, string condition, string a, string b) => g.Op("Where", [condition, a, b]);
    public static string Not(this OnnxGraphBuilder g, string x) => g.Op("Not", [x]);
    public static string And(this OnnxGraphBuilder g, string a, string b) => g.Op("And", [a, b]);
    public static string Or(this OnnxGraphBuilder g, string a, string b) => g.Op("Or", [a, b]);
    public static string Less(this OnnxGraphBuilder g, string a, string b) => g.Op("Less", [a, b]);
    public static string LessOrEqual(this OnnxGraphBuilder g, string a, string b) => g.Op("LessOrEqual", [a, b]);
    public static string Greater(this OnnxGraphBuilder g, string a, string b) => g.Op("Greater", [a, b]);
    public static string GreaterOrEqual(this OnnxGraphBuilder g, string a, string b) => g.Op("GreaterOrEqual", [a, b]);
    public static string Equal(this OnnxGraphBuilder g, string a, string b) => g.Op("Equal", [a, b]);
    public static string Cast(this OnnxGraphBuilder g, string x, TensorProto.Types.DataType to) => g.Op("Cast", [x], Int("to", (long)to));
    public static string Reshape(this OnnxGraphBuilder g, string x, params long[] shape) => g.Op("Reshape", [x, g.Int64s(shape)]);
    public static string Transpose(this OnnxGraphBuilder g, string x, params long[] perm) => g.Op("Transpose", [x], Ints("perm", perm));
    public static string Concat(this OnnxGraphBuilder g, long axis, params string[] xs) => g.Op("Concat", xs, Int("axis", axis));
    public static string Unsqueeze(this OnnxGraphBuilder g, string x, params long[] axes) => g.Op("Unsqueeze", [x, g.Int64s(axes)]);
    public static string Squeeze(this OnnxGraphBuilder g, string x, params long[] axes) => g.Op("Squeeze", [x, g.Int64s(axes)]);
    /// <param name="indices">int32 (DirectML: int64 Gather indices crash, ONNX Runtime issue 27118).</param>
    public static string Gather(this OnnxGraphBuilder g, string x, string indices, long axis) => g.Op("Gather", [x, indices], Int("axis", axis));
    public static string GatherElements(this OnnxGraphBuilder g, string x, string indices, long axis) => g.Op("GatherElements", [x, indices], Int("axis", axis));
    public static string Expand(this OnnxGraphBuilder g, string x, string shape) => g.Op("Expand", [x, shape]);

    /// <summary>Running sum along <paramref name="axis"/> (the axis a 0-D initializer, as DirectML needs).</summary>
    public static string CumSum(this OnnxGraphBuilder g, string x, long axis) => g.Op("CumSum", [x, g.Int64Scalar(axis)]);

    /// <summary>A bool tensor of x's shape, all true, whatever x holds (NaN included): x == x or not (x == x). It gives
    /// data-dependent shapes without Shape nodes, whose values DirectML would need on the CPU.</summary>
    public static string AllTrue(this OnnxGraphBuilder g, string x)
    {
        var same = g.Equal(x, x);
        return g.Or(same, g.Not(same));
    }

    /// <summary>x[..., start:end] along <paramref name="axis"/> (static bounds).</summary>
    public static string Slice(this OnnxGraphBuilder g, string x, long axis, long start, long end) =>
        g.Op("Slice", [x, g.Int64s(start), g.Int64s(end), g.Int64s(axis)]);

    public static string ReduceSum(this OnnxGraphBuilder g, string x, long axis, bool keepDims = false) =>
        g.Op("ReduceSum", [x, g.Int64s(axis)], Int("keepdims", keepDims ? 1 : 0));

    public static string ReduceMean(this OnnxGraphBuilder g, string x, long axis, bool keepDims = false) =>
        g.Op("ReduceMean", [x], Ints("axes", axis), Int("keepdims", keepDims ? 1 : 0));

    public static string ReduceMax(this OnnxGraphBuilder g, string x, long axis, bool keepDims = false) =>
        g.Op("ReduceMax", [x], Ints("axes", axis), Int("keepdims", keepDims ? 1 : 0));

    /// <summary>Zero-pads (or pads with <paramref name="value"/>) axis 1 of a rank-2 tensor by <paramref name="before"/> slots.</summary>
    public static string PadFront2d(this OnnxGraphBuilder g, string x, long before, float value) =>
        g.Op("Pad", [x, g.Int64s(0, before, 0, 0), g.Scalar(value)], String("mode", "constant"));

    /// <summary>(values, indices) of the k largest along the last axis, sorted; ties go to the lower index (ONNX TopK).</summary>
    public static (string Values, string Indices) TopK(this OnnxGraphBuilder g, string x, long k)
    {
        var outputs = g.Op("TopK", [x, g.Int64s(k)], 2, Int("axis", -1), Int("largest", 1), Int("sorted", 1));
        return (outputs[0], outputs[1]);
    }

    public static string LayerNorm(this OnnxGraphBuilder g, string x, string scale, string bias, double epsilon) =>
        g.Op("LayerNormalization", [x, scale, bias], Int("axis", -1), Float("epsilon", (float)epsilon));
}
