using System.Text.Json;
using System.Text.Json.Nodes;
using AdaTapeDml.Backends.Onnx.Compiler;
using AdaTapeDml.Backends.Onnx.Graph;
using AdaTapeDml.Backends.Onnx.Proto;
using AdaTapeDml.Core.Serialization;
using AdaTapeDml.Core.Specs;

namespace AdaTapeDml.Backends.Onnx.Export;

/// <summary>What `adatape export onnx` writes: one self-contained .onnx file per stage (weights embedded) and a
/// manifest naming the spec, opset, stages with their inputs and outputs, and the tape lengths ENCODE may be pinned to.</summary>
public static class OnnxExport
{
    public const string ManifestFile = "manifest.json";

    /// <summary>File name and bytes of every stage's graph, each checked against the DirectML rules.</summary>
    public static IReadOnlyList<(string FileName, byte[] Bytes)> Graphs(CompiledModel compiled) =>
        compiled.Graphs().Select(stage =>
        {
            var problems = OnnxModelCheck.Problems(stage.Model);
            if (problems.Count > 0) throw new UnsupportedOperatorException($"{stage.Stage} graph: {problems[0]}");
            return (FileName(stage.Stage), OnnxCompiler.Bytes(stage.Model));
        }).ToList();

    /// <summary>The manifest JSON (indented).</summary>
    public static string Manifest(CompiledModel compiled)
    {
        var spec = compiled.Spec;
        var manifest = new JsonObject
        {
            ["format"] = "adatape-onnx-v1",
            ["spec"] = spec.Name,
            ["modelKind"] = ModelKinds.NameOf(spec.Model),
            ["opset"] = DirectMlOperators.Opset,
            ["irVersion"] = compiled.Full.IrVersion,
            ["stages"] = new JsonArray(compiled.Graphs().Select(s => (JsonNode)Stage(s.Stage, s.Model)).ToArray()),
            ["tapeLengths"] = new JsonArray(Enumerable.Range(0, compiled.IsElastic ? compiled.MaxTape + 1 : 0).Select(l => (JsonNode)l).ToArray()),
            ["freeDimensions"] = new JsonObject
            {
                [StageNames.BatchDim] = "samples per call",
                [StageNames.TapeLengthDim] = compiled.IsElastic ? "ENCODE only: pin to one of tapeLengths per session (free-dimension override)" : null,
                [StageNames.TapeRowsDim] = compiled.IsElastic ? "packed ENCODE: tape tokens of the call (sum of lengths; DirectML: rounded up to a multiple of 64 and pinned)" : null,
                [StageNames.RowsDim] = compiled.IsElastic ? "packed ENCODE: batch * n input rows + tape rows" : null,
                [StageNames.InputRowsDim] = compiled.IsElastic ? "packed ENCODE: batch * n input rows (only with a separate tape feed-forward)" : null,
                [StageNames.PackedLengthDim] = compiled.IsElastic ? "packed ENCODE: n + the longest tape of the call (DirectML: n + T, pinned)" : null,
            },
            ["runSpec"] = JsonNode.Parse(RunSpecJson.Serialize(spec)),
        };
        return manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    public static string FileName(string stage) => $"{stage}.onnx";

    private static JsonObject Stage(string stage, ModelProto model) => new()
    {
        ["name"] = stage,
        ["file"] = FileName(stage),
        ["inputs"] = Values(model.Graph.Input),
        ["outputs"] = Values(model.Graph.Output),
    };

    private static JsonArray Values(IEnumerable<ValueInfoProto> values) => new(values.Select(v => (JsonNode)new JsonObject
    {
        ["name"] = v.Name,
        ["type"] = ((TensorProto.Types.DataType)v.Type.TensorType.ElemType).ToString().ToLowerInvariant(),
        ["shape"] = new JsonArray(v.Type.TensorType.Shape.Dim.Select(d =>
            d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam ? JsonValue.Create(d.DimParam) : (JsonNode)JsonValue.Create(d.DimValue)).ToArray()),
    }).ToArray());
}
