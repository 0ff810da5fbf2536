using System.Text.Json;
using AdaTapeDml.Core.Tasks;

namespace AdaTapeDml.Pipelines.Inference;

/// <summary>Parity requests as JSON lines, one object per sample: {"id": "a", "sequence": [1, 0, -1, ...]}. Blank lines
/// are skipped; a line that is not such an object becomes an <see cref="InputLine"/> with its error (line number, what is
/// wrong, what is allowed), so one bad line costs no other line its answer.</summary>
public static class ParityJsonLines
{
    /// <summary>Every non-blank line of <paramref name="reader"/>, read as a request one-hot encoded for a model of sequence
    /// length <paramref name="seqLen"/>, or as its error. Throws <see cref="InvalidDataException"/> only for a file without
    /// any sample line.</summary>
    public static List<InputLine> Read(TextReader reader, string source, int seqLen)
    {
        var lines = new List<InputLine>();
        var firstUse = new Dictionary<string, int>(StringComparer.Ordinal);
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var problem = Parse(line, seqLen, out var id, out var input);
            if (problem is null && firstUse.TryGetValue(id!, out var first)) problem = $"id \"{id}\" was already used on line {first}";
            if (problem is not null)
            {
                lines.Add(InputLine.Bad(number, id, problem));
                continue;
            }
            firstUse[id!] = number;
            lines.Add(InputLine.Read(number, new InferenceRequest(id!, input!)));
        }
        if (lines.Count == 0) throw new InvalidDataException($"{source}: no samples (expected JSON lines like {{\"id\": \"a\", \"sequence\": [1, 0, -1]}})");
        return lines;
    }

    /// <summary>Null when the line is a valid sample, else its problem; <paramref name="id"/> is set whenever the line's id
    /// could be read, so even a bad line is answered under its own id.</summary>
    private static string? Parse(string line, int seqLen, out string? id, out float[]? input)
    {
        (id, input) = (null, null);
        JsonDocument document;
        try { document = JsonDocument.Parse(line); }
        catch (JsonException e) { return $"not valid JSON ({e.Message.Split(" Path:")[0]})"; }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return $"expected an object {{\"id\": ..., \"sequence\": [...]}}, got {Kind(root)}";
            if (root.TryGetProperty("id", out var idValue) && idValue.ValueKind == JsonValueKind.String && idValue.GetString() is { Length: > 0 } text)
                id = text;
            string? problem = null;
            sbyte[]? sequence = null;
            foreach (var property in root.EnumerateObject())
            {
                problem ??= property.Name switch
                {
                    "id" => id is null ? $"\"id\" must be a non-empty string, got {Kind(property.Value)}" : null,
                    "sequence" => Sequence(property.Value, seqLen, out sequence),
                    _ => $"unknown field \"{property.Name}\" (allowed: id, sequence)",
                };
            }
            problem ??= !root.TryGetProperty("id", out _) ? "missing \"id\""
                : sequence is null ? "missing \"sequence\""
                : null;
            if (problem is null) input = Parity.OneHot([sequence!], seqLen);
            return problem;
        }
    }

    private static string? Sequence(JsonElement value, int seqLen, out sbyte[]? sequence)
    {
        sequence = null;
        if (value.ValueKind != JsonValueKind.Array) return $"\"sequence\" must be an array of -1, 0 and 1, got {Kind(value)}";
        var length = value.GetArrayLength();
        if (length != seqLen) return $"\"sequence\" has {length} elements; this model reads sequences of length {seqLen}";
        var elements = new sbyte[length];
        var i = 0;
        foreach (var element in value.EnumerateArray())
        {
            if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt32(out var x) || x is < -1 or > 1)
                return $"\"sequence\" element {i} is {element.GetRawText()}; elements must be -1, 0 or 1";
            elements[i++] = (sbyte)x;
        }
        sequence = elements;
        return null;
    }

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => "null",
        JsonValueKind.String => $"the string {value.GetRawText()}",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => value.GetRawText(),
    };
}
