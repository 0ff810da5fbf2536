using AdaTapeDml.Backends.Onnx.Proto;

namespace AdaTapeDml.Backends.Onnx.Graph;

/// <summary>What every exported model must satisfy for DirectML, checked node by node against
/// <see cref="DirectMlOperators.Kernels"/>: opset 17 of the default domain only; every operator in the table; every input
/// and output of an element type the provider registers for it; every CPU-constant input an initializer (the rule checked:
/// a direct initializer, not a value ONNX Runtime might fold into one); int32 indices where int64 crashes. Used by export
/// and by the tests on every emitted graph. Each problem is one line naming the node, operator, input or output, and rule.</summary>
public static class OnnxModelCheck
{
    /// <summary>Every problem of <paramref name="model"/>, one line each (empty when it is fine).</summary>
    public static IReadOnlyList<string> Problems(ModelProto model)
    {
        var problems = new List<string>();
        if (model.OpsetImport.Count != 1 || model.OpsetImport[0].Domain != "" || model.OpsetImport[0].Version != DirectMlOperators.Opset)
            problems.Add($"the model must import exactly the ONNX domain at opset {DirectMlOperators.Opset}, imports [{string.Join(", ", model.OpsetImport.Select(o => $"'{o.Domain}':{o.Version}"))}] (rule: opset)");
        var types = OnnxElementTypes.Infer(model.Graph);
        var initializers = model.Graph.Initializer.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var node in model.Graph.Node)
        {
            var at = $"node {node.Name} ({node.OpType})";
            if (node.Domain != "") problems.Add($"{at}: domain '{node.Domain}' (rule: default ONNX domain only)");
            if (!DirectMlOperators.Kernels.TryGetValue(node.OpType, out var kernel))
            {
                problems.Add($"{at}: {DirectMlOperators.Problem(node.OpType)}");
                continue;
            }
            for (var i = 0; i < node.Input.Count; i++)
                if (node.Input[i] != "") problems.AddRange(InputProblems(at, kernel, i, node.Input[i], types, initializers));
            for (var o = 0; o < node.Output.Count && o < kernel.Outputs.Count; o++)
                if (TypeProblem(kernel.Outputs[o].Types, node.Output[o], types) is { } p) problems.Add($"{at} output {o} '{node.Output[o]}': {p}");
        }
        return problems;
    }

    private static IEnumerable<string> InputProblems(string at, DirectMlKernel kernel, int index, string name,
        IReadOnlyDictionary<string, TensorProto.Types.DataType> types, HashSet<string> initializers)
    {
        var where = $"{at} input {index} '{name}'";
        if (TypeProblem(kernel.InputTypes(index), name, types) is { } typeProblem) yield return $"{where}: {typeProblem}";
        if (kernel.CpuConstantInputs.Contains(index) && !initializers.Contains(name))
            yield return $"{where}: DirectML reads this input on the CPU and fuses the node into its graph only when it is an initializer, and it is not one (rule: CPU-constant input)";
        if (kernel.Int32IndexInputs.Contains(index) && types.TryGetValue(name, out var type) && type == TensorProto.Types.DataType.Int64)
            yield return $"{where}: int64 indices; DirectML needs int32 here, int64 crashes it (rule: int32 indices, ONNX Runtime issue 27118)";
    }

    private static string? TypeProblem(IReadOnlySet<TensorProto.Types.DataType> allowed, string name,
        IReadOnlyDictionary<string, TensorProto.Types.DataType> types) =>
        !types.TryGetValue(name, out var type)
            ? "element type unknown: neither a graph input, an initializer nor the output of a listed operator (rule: data type)"
            : allowed.Contains(type)
                ? null
                : $"{DirectMlTypes.Name(type)} is not a type DirectML registers here, allowed {DirectMlTypes.Names(allowed)} (rule: data type)";
}
