using AdaTapeDml.Backends.Onnx.Proto;
using DataType = AdaTapeDml.Backends.Onnx.Proto.TensorProto.Types.DataType;

namespace AdaTapeDml.Backends.Onnx.Graph;

/// <summary>The element type of every value of a graph: graph inputs and initializers as declared, node outputs by the
/// output rules of <see cref="DirectMlOperators.Kernels"/>, in node order (the builder emits nodes topologically).
/// Outputs of an operator outside the table stay untyped; the check reports that operator instead.</summary>
public static class OnnxElementTypes
{
    public static IReadOnlyDictionary<string, DataType> Infer(GraphProto graph)
    {
        var types = new Dictionary<string, DataType>(StringComparer.Ordinal);
        foreach (var input in graph.Input) types[input.Name] = (DataType)input.Type.TensorType.ElemType;
        foreach (var initializer in graph.Initializer) types[initializer.Name] = (DataType)initializer.DataType;
        foreach (var node in graph.Node)
        {
            if (!DirectMlOperators.Kernels.TryGetValue(node.OpType, out var kernel)) continue;
            for (var o = 0; o < node.Output.Count && o < kernel.Outputs.Count; o++)
                if (OutputType(node, kernel.Outputs[o].Rule, types) is { } type) types[node.Output[o]] = type;
        }
        return types;
    }

    private static DataType? OutputType(NodeProto node, OutputTypeRule rule, Dictionary<string, DataType> types) => rule switch
    {
        OutputTypeRule.SameAsInput0 => InputType(node, 0, types),
        OutputTypeRule.SameAsInput1 => InputType(node, 1, types),
        OutputTypeRule.Bool => DataType.Bool,
        OutputTypeRule.Int64 => DataType.Int64,
        OutputTypeRule.Float32 => DataType.Float,
        OutputTypeRule.CastTo => node.Attribute.FirstOrDefault(a => a.Name == "to") is { } to ? (DataType)to.I : null,
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, "unknown output type rule"),
    };

    private static DataType? InputType(NodeProto node, int index, Dictionary<string, DataType> types) =>
        index < node.Input.Count && types.TryGetValue(node.Input[index], out var type) ? type : null;
}
