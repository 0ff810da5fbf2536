using System.Diagnostics.Contracts;
using System.Text.Json.Nodes;
using AdaTapeDml.Core.Specs;

namespace AdaTapeDml.Core.Serialization;

/// <summary>Where two run specs differ, field by field, in their JSON names (e.g. <c>training.steps: 10 -> 20</c>): what a
/// resumed run must be told when the spec it is given is not the one its checkpoint was trained with. Compared through
/// the JSON form, so every field counts and lists compare by content.</summary>
public static class RunSpecDiff
{
    /// <summary>Each differing field as "path: old -> new", in document order; empty when the specs are the same.</summary>
    [Pure]
    public static IReadOnlyList<string> Between(RunSpec old, RunSpec changed)
    {
        var differences = new List<string>();
        Compare(JsonNode.Parse(RunSpecJson.Serialize(old)), JsonNode.Parse(RunSpecJson.Serialize(changed)), "", differences);
        return differences;
    }

    private static void Compare(JsonNode? a, JsonNode? b, string path, List<string> differences)
    {
        if (a is JsonObject objectA && b is JsonObject objectB && SameKind(objectA, objectB))
        {
            foreach (var (name, value) in objectA) Compare(value, objectB[name], Join(path, name), differences);
            foreach (var (name, value) in objectB.Where(p => !objectA.ContainsKey(p.Key))) Compare(null, value, Join(path, name), differences);
        }
        else if (!JsonNode.DeepEquals(a, b))
            differences.Add($"{(path.Length == 0 ? "$" : path)}: {Show(a)} -> {Show(b)}");
    }

    /// <summary>Objects of different kinds (a transformer vs an AdaTape model) are one difference, not one per field.</summary>
    private static bool SameKind(JsonObject a, JsonObject b) =>
        JsonNode.DeepEquals(a["kind"], b["kind"]);

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static string Show(JsonNode? node) => node switch
    {
        null => "(absent)",
        JsonObject o when o["kind"] is { } kind => $"kind {kind.ToJsonString()}",
        _ => node.ToJsonString(),
    };
}
