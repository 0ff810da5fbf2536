using DataType = AdaTapeDml.Backends.Onnx.Proto.TensorProto.Types.DataType;

namespace AdaTapeDml.Backends.Onnx.Graph;

/// <summary>How an output's element type follows from the node (ONNX type inference for the operators we emit).</summary>
public enum OutputTypeRule
{
    SameAsInput0,
    SameAsInput1,
    Bool,
    Int64,
    Float32,
    /// <summary>The node's "to" attribute (Cast).</summary>
    CastTo,
}

/// <summary>One output of a DirectML kernel: how its type is inferred and which types the provider registers for it.</summary>
public sealed record DirectMlOutput(OutputTypeRule Rule, IReadOnlySet<DataType> Types);

/// <summary>What the DirectML execution provider registers for one ONNX operator at the opset this project imports.</summary>
/// <param name="OpType">ONNX operator (default domain).</param>
/// <param name="SinceVersion">The registration row that serves opset <see cref="DirectMlOperators.Opset"/>.</param>
/// <param name="Inputs">Registered element types of input i; inputs past the list (variadic Concat, Min) use the last entry.</param>
/// <param name="Outputs">Type rule and registered types of output i.</param>
/// <param name="CpuConstantInputs">Inputs the registration lists as requiredConstantCpuInputs: the provider reads them on
/// the CPU, and only fuses the node into its DirectML graph when they are initializers.</param>
/// <param name="Int32IndexInputs">Index inputs that must be int32 here (ONNX Runtime issue 27118), although the
/// registration also lists int64.</param>
/// <param name="Source">Where the facts come from, in one line.</param>
public sealed record DirectMlKernel(
    string OpType,
    int SinceVersion,
    IReadOnlyList<IReadOnlySet<DataType>> Inputs,
    IReadOnlyList<DirectMlOutput> Outputs,
    IReadOnlyList<int> CpuConstantInputs,
    IReadOnlyList<int> Int32IndexInputs,
    string Source)
{
    /// <summary>Registered types of input <paramref name="index"/> (the last entry repeats for variadic inputs).</summary>
    public IReadOnlySet<DataType> InputTypes(int index) => Inputs[Math.Min(index, Inputs.Count - 1)];
}
