namespace AdaTapeDml.Backends.Onnx.Graph;

/// <summary>The ONNX operators (default domain, opset &lt;= 17) that ONNX Runtime's DirectML execution provider runs.
/// Source: the DML EP's kernel registration table, onnxruntime/core/providers/dml/DmlExecutionProvider/src/Operators/
/// OperatorRegistration.cpp (ONNX Runtime 1.17+; LayerNormalization-17 registered since 1.14), summarised in
/// ONNX Runtime's docs/OperatorKernels.md, section "DmlExecutionProvider". Only the operators this compiler may emit
/// (and close relatives) are listed: anything else is refused at export, so no node silently falls back to the CPU.
/// Control flow (Loop, If, Scan) is deliberately absent: the DML EP runs it on the CPU with copies per iteration.</summary>
public static class DirectMlOperators
{
    /// <summary>The opset every emitted graph imports: the highest the DirectML EP documents.</summary>
    public const int Opset = 17;

    public static readonly IReadOnlySet<string> Supported = new HashSet<string>(StringComparer.Ordinal)
    {
        // elementwise
        "Add", "Sub", "Mul", "Div", "Neg", "Abs", "Sqrt", "Reciprocal", "Pow", "Exp", "Log", "Erf", "Sigmoid", "Tanh",
        "Relu", "Min", "Max", "Sum", "Clip", "Floor", "Ceil", "Where", "Cast",
        // logic and comparison
        "Not", "And", "Or", "Xor", "Equal", "Less", "LessOrEqual", "Greater", "GreaterOrEqual",
        // linear algebra, convolution, normalisation, activation
        "MatMul", "Gemm", "Conv", "LayerNormalization", "Softmax", "LogSoftmax",
        // reductions and selection
        "ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ArgMax", "ArgMin", "TopK", "CumSum",
        // data movement and shapes
        "Reshape", "Transpose", "Concat", "Split", "Slice", "Gather", "GatherElements", "ScatterElements", "Unsqueeze",
        "Squeeze", "Flatten", "Expand", "Tile", "Pad", "Shape", "Range", "Identity",
    };

    /// <summary>Null when <paramref name="opType"/> may be emitted, else the one-line reason naming it.</summary>
    public static string? Problem(string opType) =>
        Supported.Contains(opType)
            ? null
            : $"operator '{opType}' is not in the DirectML execution provider's supported list (opset <= {Opset}); the graph cannot be exported";
}
