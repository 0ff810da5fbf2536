using System.Text.Json;
using AdaTapeDml.Core.Tasks;

namespace AdaTapeDml.Pipelines.Inference;

/// <summary>Parity requests as JSON lines, one object per sample: {"id": "a", "sequence": [1, 0, -1, ...]}. Blank lines
/// are skipped; anything else that is not such an object stops the read with the line number and what is wrong.</summary>
public static class ParityJsonLines
{
    /// <summary>The requests of <paramref name="reader"/>, one-hot encoded for a model of sequence length
    /// <paramref name="seqLen"/>; throws <see cref="InvalidDataException"/> "SOURCE line N: problem".</summary>
    public static List<InferenceRequest> Read(TextReader reader, string source, int seqLen)
    {
        var requests = new List<InferenceRequest>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var problem = Parse(line, seqLen, out var request);
            if (problem is null && !ids.Add(request!.Id)) problem = $"id \"{request.Id}\" was already used";
            if (problem is not null) throw new InvalidDataException($"{source} line {number}: {problem}");
            requests.Add(request!);
        }
        if (requests.Count == 0) throw new InvalidDataException($"{source}: no samples (expected JSON lines like {{\"id\": \"a\", \"sequence\": [1, 0, -1]}})");
        return requests;
    }

    private static string? Parse(string line, int seqLen, out InferenceRequest? request)
    {
        request = null;
        JsonDocument document;
        try { document = JsonDocument.Parse(line); }
        catch (JsonException e) { return $"not valid JSON ({e.Message.Split(" Path:")[0]})"; }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object) return "expected an object {\"id\": ..., \"sequence\": [...]}";
            string? id = null;
            sbyte[]? sequence = null;
            foreach (var property in document.RootElement.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "id":
                        if (property.Value.ValueKind != JsonValueKind.String || property.Value.GetString() is not { Length: > 0 } text) return "\"id\" must be a non-empty string";
                        id = text;
                        break;
                    case "sequence":
                        var problem = Sequence(property.Value, seqLen, out sequence);
                        if (problem is not null) return problem;
                        break;
                    default:
                        return $"unknown field \"{property.Name}\" (allowed: id, sequence)";
                }
            }
            if (id is null) return "missing \"id\"";
            if (sequence is null) return "missing \"sequence\"";
            request = new InferenceRequest(id, Parity.OneHot([sequence], seqLen));
            return null;
        }
    }

    private static string? Sequence(JsonElement value, int seqLen, out sbyte[]? sequence)
    {
        sequence = null;
        if (value.ValueKind != JsonValueKind.Array) return "\"sequence\" must be an array of -1, 0 and 1";
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
}
