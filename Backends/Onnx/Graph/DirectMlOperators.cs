using static AdaTapeDml.Backends.Onnx.Graph.DirectMlTypes;
using DataType = AdaTapeDml.Backends.Onnx.Proto.TensorProto.Types.DataType;

namespace AdaTapeDml.Backends.Onnx.Graph;

/// <summary>What ONNX Runtime's DirectML execution provider registers for every operator this compiler emits: element
/// types per input and output, the inputs it needs as CPU-side constants, and the index inputs that must be int32.
///
/// Source: the DML EP's kernel registration table (operatorRegistrationInformationTable in
/// onnxruntime/core/providers/dml/DmlExecutionProvider/src/Operators/OperatorRegistration.cpp, microsoft/onnxruntime;
/// the version read has the opset-17 LayerNormalization, opset-18 Split/Pad/Reduce and contrib RotaryEmbedding rows, and
/// its rows for the operators below match the DmlExecutionProvider section of docs/OperatorKernels.md at commit
/// 001d12d2623fd411ce0f83d05abb5e82304a3389, which lists opset 25 kernels). Each row is the registration that serves
/// opset 17. GraphPartitioner.cpp fuses a node into the DirectML graph only when its tensor types are registered and each
/// requiredConstantCpuInputs input is an initializer. Anything not listed is refused at export, so no node silently falls
/// back to the CPU: control flow (Loop, If, Scan) runs on the CPU with copies per iteration, and ScatterND/GatherND
/// register int64 indices only, which ONNX Runtime issue 27118 reports crashing.</summary>
public static class DirectMlOperators
{
    /// <summary>The opset every emitted graph imports: the highest the DirectML EP documents.</summary>
    public const int Opset = 17;

    private const string Reg = "OperatorRegistration.cpp";
    private const string Issue27118 = "int64 Gather/Scatter indices crash the DML EP (ONNX Runtime issue 27118)";

    public static readonly IReadOnlyDictionary<string, DirectMlKernel> Kernels = new[]
    {
        // elementwise arithmetic: T = Float16to32 | Ints8to64
        Row("Add", 14, [Float16To32Ints8To64], [Same(Float16To32Ints8To64)], $"{Reg} Add-14 supportedTypeListFloat16to32Ints8to64"),
        Row("Sub", 14, [Float16To32Ints8To64], [Same(Float16To32Ints8To64)], $"{Reg} Sub-14 supportedTypeListFloat16to32Ints8to64"),
        Row("Mul", 14, [Float16To32Ints8To64], [Same(Float16To32Ints8To64)], $"{Reg} Mul-14 supportedTypeListFloat16to32Ints8to64"),
        Row("Div", 14, [Float16To32Ints8To64], [Same(Float16To32Ints8To64)], $"{Reg} Div-14 supportedTypeListFloat16to32Ints8to64"),
        Row("Min", 13, [Float16To32Ints8To64], [Same(Float16To32Ints8To64)], $"{Reg} Min-13 supportedTypeListFloat16to32Ints8to64"),
        // float-only math
        Row("MatMul", 13, [Float16To32], [Same(Float16To32)], $"{Reg} MatMul-13 supportedTypeListFloat16to32"),
        Row("Erf", 13, [Float16To32], [Same(Float16To32)], $"{Reg} Erf-13 supportedTypeListFloat16to32"),
        Row("Sigmoid", 13, [Float16To32], [Same(Float16To32)], $"{Reg} Sigmoid-13 supportedTypeListFloat16to32"),
        Row("Softmax", 13, [Float16To32], [Same(Float16To32)], $"{Reg} Softmax-13 supportedTypeListFloat16to32"),
        Row("LayerNormalization", 17, [Float16To32], [Same(Float16To32), new(OutputTypeRule.Float32, Float32Only), new(OutputTypeRule.Float32, Float32Only)],
            $"{Reg} LayerNormalization-17 typeNameListLayerNorm {{T, U}} = supportedTypeListLayerNormalization {{Float16to32, Float32}}"),
        Row("Conv", 11, [Float16To32], [Same(Float16To32)], $"{Reg} Conv-11 supportedTypeListFloat16to32"),
        // logic and comparison: T1 = bool
        Row("Not", 1, [BoolOnly], [Same(BoolOnly)], $"{Reg} Not-7 supportedTypeListBool (ONNX Not is since opset 1)"),
        Row("And", 7, [BoolOnly], [Same(BoolOnly)], $"{Reg} And-7 supportedTypeListBool"),
        Row("Or", 7, [BoolOnly], [Same(BoolOnly)], $"{Reg} Or-7 supportedTypeListBool"),
        Row("Equal", 13, [Float16To32Ints8To64], [Boolean()], $"{Reg} Equal-13 supportedTypeListLogicalComparison9"),
        Row("Less", 13, [Float16To32Ints8To64], [Boolean()], $"{Reg} Less-13 supportedTypeListLogicalComparison9"),
        Row("Greater", 13, [Float16To32Ints8To64], [Boolean()], $"{Reg} Greater-13 supportedTypeListLogicalComparison9"),
        Row("LessOrEqual", 16, [Float16To32Ints8To64], [Boolean()], $"{Reg} LessOrEqual-16 supportedTypeListLogicalComparison9"),
        Row("GreaterOrEqual", 16, [Float16To32Ints8To64], [Boolean()], $"{Reg} GreaterOrEqual-16 supportedTypeListLogicalComparison9"),
        Row("Where", 16, [BoolOnly, AllScalars, AllScalars], [new(OutputTypeRule.SameAsInput1, AllScalars)], $"{Reg} Where-16 supportedTypeListWhere {{Bool, AllScalars}}"),
        Row("Cast", 13, [AllScalars], [new(OutputTypeRule.CastTo, AllScalars)], $"{Reg} Cast-13 supportedTypeListCast {{AllScalars, AllScalars}}"),
        // reductions and selection
        Row("ReduceSum", 13, [Float16To32Ints32To64, Int64Only], [Same(Float16To32Ints32To64)], $"{Reg} ReduceSum-13 requiredConstantCpuInputs(1) (axes)", cpu: [1]),
        Row("ReduceMean", 13, [Float16To32], [Same(Float16To32)], $"{Reg} ReduceMean-13 supportedTypeListFloat16to32 (axes an attribute before opset 18)"),
        Row("ReduceMax", 13, [Float16To32Ints8To64], [Same(Float16To32Ints8To64)], $"{Reg} ReduceMax-13 supportedTypeListFloat16to32Ints8to64"),
        Row("CumSum", 14, [Float16To32Ints32To64, Ints32And64], [Same(Float16To32Ints32To64)], $"{Reg} CumSum-14 requiredConstantCpuInputs(1) (axis; its int32/int64 type is ONNX's)", cpu: [1]),
        Row("TopK", 11, [NumericDefaultInts64, Int64Only], [Same(NumericDefaultInts64), new(OutputTypeRule.Int64, Int64Only)],
            $"{Reg} TopK-11 supportedTypeListTopK {{NumericDefault|Ints64Bit, Int64}} requiredConstantCpuInputs(1) (K); its indices output can only be int64", cpu: [1]),
        // data movement: T = AllScalars
        Row("Reshape", 14, [AllScalars, Int64Only], [Same(AllScalars)], $"{Reg} Reshape-14 requiredConstantCpuInputs(1) (shape)", cpu: [1]),
        Row("Transpose", 13, [AllScalars], [Same(AllScalars)], $"{Reg} Transpose-13 supportedTypeListAllScalars"),
        Row("Concat", 13, [AllScalars], [Same(AllScalars)], $"{Reg} Concat-13 supportedTypeListAllScalars"),
        Row("Unsqueeze", 13, [AllScalars, Int64Only], [Same(AllScalars)], $"{Reg} Unsqueeze-13 requiredConstantCpuInputs(1) (axes)", cpu: [1]),
        Row("Squeeze", 13, [AllScalars, Int64Only], [Same(AllScalars)], $"{Reg} Squeeze-13 requiredConstantCpuInputs(1) (axes)", cpu: [1]),
        Row("Expand", 13, [AllScalars, Int64Only], [Same(AllScalars)], $"{Reg} Expand-13 requiredConstantCpuInputs(1) (shape)", cpu: [1]),
        Row("Slice", 13, [AllScalars, Ints32And64], [Same(AllScalars)], $"{Reg} Slice-13 supportedTypeListSlice10 requiredConstantCpuInputs(1, 2, 3, 4) (starts, ends, axes, steps)", cpu: [1, 2, 3, 4]),
        Row("Pad", 13, [AllScalars, Int64Only, AllScalars], [Same(AllScalars)], $"{Reg} Pad-13 requiredConstantCpuInputs(1, 2) (pads, value)", cpu: [1, 2]),
        Row("Gather", 13, [AllScalars, Ints32And64], [Same(AllScalars)], $"{Reg} Gather-13 supportedTypeListScatterGather {{AllScalars, Int32|Int64}}; {Issue27118}", int32: [1]),
        Row("GatherElements", 13, [AllScalars, Ints32And64], [Same(AllScalars)], $"{Reg} GatherElements-13 supportedTypeListScatterGather; int32 indices accepted, {Issue27118}", int32: [1]),
        Row("ScatterElements", 16, [AllScalars, Ints32And64, AllScalars], [Same(AllScalars)], $"{Reg} ScatterElements-16 supportedTypeListScatterGather; int32 indices accepted, {Issue27118}", int32: [1]),
        Row("Identity", 16, [AllScalars], [Same(AllScalars)], $"{Reg} Identity-16 (REG_INFO_COPY) supportedTypeListAllScalars"),
    }.ToDictionary(k => k.OpType, StringComparer.Ordinal);

    /// <summary>Null when <paramref name="opType"/> may be emitted, else the one-line reason naming it.</summary>
    public static string? Problem(string opType) =>
        Kernels.ContainsKey(opType)
            ? null
            : $"operator '{opType}' is not in the DirectML operator table (Backends/Onnx/Graph/DirectMlOperators.cs, opset <= {Opset}) (rule: supported operator)";

    private static DirectMlKernel Row(string op, int since, IReadOnlySet<DataType>[] inputs, DirectMlOutput[] outputs, string source,
        int[]? cpu = null, int[]? int32 = null) =>
        new(op, since, inputs, outputs, cpu ?? [], int32 ?? [], source);

    private static DirectMlOutput Same(IReadOnlySet<DataType> types) => new(OutputTypeRule.SameAsInput0, types);

    private static DirectMlOutput Boolean() => new(OutputTypeRule.Bool, BoolOnly);
}
