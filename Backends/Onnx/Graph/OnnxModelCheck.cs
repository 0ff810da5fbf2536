using AdaTapeDml.Backends.Onnx.Proto;

namespace AdaTapeDml.Backends.Onnx.Graph;

/// <summary>What every exported model must satisfy for DirectML: opset 17 of the default domain only, only listed
/// operators, no control flow. Used by export and by the tests on every emitted graph.</summary>
public static class OnnxModelCheck
{
    /// <summary>Every problem of <paramref name="model"/>, one line each (empty when it is fine).</summary>
    public static IReadOnlyList<string> Problems(ModelProto model)
    {
        var problems = new List<string>();
        if (model.OpsetImport.Count != 1 || model.OpsetImport[0].Domain != "" || model.OpsetImport[0].Version != DirectMlOperators.Opset)
            problems.Add($"the model must import exactly the ONNX domain at opset {DirectMlOperators.Opset}, imports [{string.Join(", ", model.OpsetImport.Select(o => $"'{o.Domain}':{o.Version}"))}]");
        foreach (var node in model.Graph.Node)
        {
            if (node.Domain != "") problems.Add($"node {node.Name} uses domain '{node.Domain}'");
            if (DirectMlOperators.Problem(node.OpType) is { } p) problems.Add($"node {node.Name}: {p}");
        }
        return problems;
    }
}
