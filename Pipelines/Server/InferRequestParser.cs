using System.Globalization;
using System.Text.Json;
using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Core.Tasks;

namespace AdaTapeDml.Server;

/// <summary>The Open Inference Protocol's infer request body -> <see cref="InferRequest"/>, or a
/// <see cref="ProtocolException"/> (400) naming the field ("inputs[0].shape", "parameters.act_epsilon"), the value and
/// what is allowed. Tensor data may be flat or nested, row-major, with the batch dimension first.</summary>
public static class InferRequestParser
{
    private static readonly string[] TopLevel = ["id", "parameters", "inputs", "outputs"];

    public static InferRequest Parse(JsonElement root, RunSpec spec)
    {
        if (root.ValueKind != JsonValueKind.Object) throw Bad("the request body must be a JSON object with \"inputs\"");
        foreach (var property in root.EnumerateObject())
            if (!TopLevel.Contains(property.Name)) throw Bad($"unknown field \"{property.Name}\" (allowed: {string.Join(", ", TopLevel)})");
        string? id = null;
        if (root.TryGetProperty("id", out var idValue))
            id = idValue.ValueKind == JsonValueKind.String ? idValue.GetString() : throw Bad("id must be a string");
        return new InferRequest(id, Samples(root, spec), Knob(root, spec), Outputs(root, spec));
    }

    private static float[][] Samples(JsonElement root, RunSpec spec)
    {
        var expected = ModelSignature.Input(spec.Task);
        if (!root.TryGetProperty("inputs", out var inputs) || inputs.ValueKind != JsonValueKind.Array || inputs.GetArrayLength() != 1)
            throw Bad($"inputs must be an array of exactly one tensor, named \"{expected.Name}\"");
        var input = inputs[0];
        if (input.ValueKind != JsonValueKind.Object) throw Bad("inputs[0] must be a tensor object {name, shape, datatype, data}");
        var name = Text(input, "name");
        if (name != expected.Name) throw Bad($"inputs[0].name is \"{name}\"; this model reads \"{expected.Name}\"");
        var datatype = Text(input, "datatype");
        if (!expected.Datatypes.Contains(datatype)) throw Bad($"inputs[0].datatype is \"{datatype}\"; allowed: {string.Join(", ", expected.Datatypes)}");
        var shape = Shape(input, expected.Shape);
        if (!input.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array) throw Bad("inputs[0].data must be an array of numbers");
        var values = new List<double>();
        Flatten(data, values);
        var count = shape.Aggregate(1L, (a, b) => a * b);
        if (values.Count != count)
            throw Bad($"inputs[0].data has {values.Count} values; shape [{string.Join(", ", shape)}] needs {count}");
        var samples = spec.Task switch
        {
            ParityTaskSpec parity => Sequences(values, (int)shape[0], parity.SeqLen),
            FashionMnistTaskSpec => Images(values, (int)shape[0], datatype),
            _ => throw Bad($"no input format for task {spec.Task.GetType().Name}"),
        };
        if (InputShapes.Problem(spec.Task, samples.SelectMany(s => s).ToArray(), samples.Length) is { } problem) throw Bad($"inputs[0]: {problem}");
        return samples;
    }

    private static long[] Shape(JsonElement input, long[] expected)
    {
        var allowed = $"[B, {string.Join(", ", expected.Skip(1))}] with B >= 1";
        if (!input.TryGetProperty("shape", out var shape) || shape.ValueKind != JsonValueKind.Array) throw Bad($"inputs[0].shape must be an array {allowed}");
        var dims = shape.EnumerateArray().Select(d => d.ValueKind == JsonValueKind.Number && d.TryGetInt64(out var v) ? v : -2).ToArray();
        var text = $"[{string.Join(", ", shape.EnumerateArray().Select(d => d.GetRawText()))}]";
        if (dims.Length != expected.Length || dims[0] < 1 || dims.Skip(1).Where((d, i) => d != expected[i + 1]).Any())
            throw Bad($"inputs[0].shape is {text}; this model reads {allowed}");
        return dims;
    }

    private static void Flatten(JsonElement data, List<double> values)
    {
        foreach (var element in data.EnumerateArray())
        {
            if (element.ValueKind == JsonValueKind.Array) { Flatten(element, values); continue; }
            values.Add(element.ValueKind switch
            {
                JsonValueKind.Number => element.GetDouble(),
                // Named literals, as some JSON writers spell NaN and infinities; rejected by the range checks below.
                JsonValueKind.String when double.TryParse(element.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var named) && !double.IsFinite(named) => named,
                _ => throw Bad($"inputs[0].data element {values.Count} is {element.GetRawText()}; elements must be numbers"),
            });
        }
    }

    private static float[][] Sequences(List<double> values, int batch, int seqLen)
    {
        var bad = values.FindIndex(v => v is not (-1 or 0 or 1));
        if (bad >= 0) throw Bad($"inputs[0].data element {bad} is {Show(values[bad])}; INT8 sequence elements must be -1, 0 or 1");
        var sequences = Enumerable.Range(0, batch).Select(b => values.Skip(b * seqLen).Take(seqLen).Select(v => (sbyte)v).ToArray()).ToList();
        return sequences.Select(s => Parity.OneHot([s], seqLen)).ToArray();
    }

    private static float[][] Images(List<double> values, int batch, string datatype)
    {
        var bytes = datatype == "UINT8";
        var bad = values.FindIndex(v => bytes ? v is < 0 or > 255 || v != Math.Floor(v) : !double.IsFinite(v) || v is < 0 or > 1);
        if (bad >= 0)
            throw Bad($"inputs[0].data element {bad} is {Show(values[bad])}; {(bytes ? "UINT8 pixels must be integers 0..255" : "FP32 pixels must be finite numbers in [0, 1]")}");
        var per = FashionMnistTaskSpec.ImageSize * FashionMnistTaskSpec.ImageSize;
        // UINT8 pixels scale as the IDX reader scales them (v / 255), so served and file inputs match.
        return Enumerable.Range(0, batch).Select(b => values.Skip(b * per).Take(per).Select(v => bytes ? (float)v / 255f : (float)v).ToArray()).ToArray();
    }

    private static TapeOverride? Knob(JsonElement root, RunSpec spec)
    {
        if (!root.TryGetProperty("parameters", out var parameters)) return null;
        if (parameters.ValueKind != JsonValueKind.Object) throw Bad("parameters must be an object");
        double? actEpsilon = null;
        int? maxTape = null;
        if (parameters.TryGetProperty("act_epsilon", out var tau))
            actEpsilon = tau.ValueKind == JsonValueKind.Number ? tau.GetDouble() : throw Bad($"parameters.act_epsilon is {tau.GetRawText()}; it must be a number");
        if (parameters.TryGetProperty("max_tape", out var tape))
            maxTape = tape.ValueKind == JsonValueKind.Number && tape.TryGetInt32(out var t) ? t : throw Bad($"parameters.max_tape is {tape.GetRawText()}; it must be an integer");
        if (actEpsilon is null && maxTape is null) return null;
        var knob = new TapeOverride(actEpsilon, maxTape);
        var applied = knob.ApplyTo(spec);
        if (!applied.IsOk) throw Bad($"parameters (act_epsilon, max_tape): {applied.Errors[0]}");
        return knob;
    }

    private static HashSet<string>? Outputs(JsonElement root, RunSpec spec)
    {
        if (!root.TryGetProperty("outputs", out var outputs)) return null;
        var known = ModelSignature.Outputs(spec).Select(o => o.Name).ToArray();
        if (outputs.ValueKind != JsonValueKind.Array) throw Bad("outputs must be an array of {\"name\": ...}");
        var names = new HashSet<string>(StringComparer.Ordinal);
        var i = 0;
        foreach (var output in outputs.EnumerateArray())
        {
            var name = output.ValueKind == JsonValueKind.Object ? Text(output, "name", $"outputs[{i}]") : throw Bad($"outputs[{i}] must be an object {{\"name\": ...}}");
            if (!known.Contains(name)) throw Bad($"outputs[{i}].name is \"{name}\"; allowed: {string.Join(", ", known)}");
            names.Add(name);
            i++;
        }
        return names.Count == 0 ? null : names;
    }

    private static string Text(JsonElement tensor, string field, string path = "inputs[0]") =>
        tensor.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Bad($"{path}.{field} must be a string");

    private static string Show(double v) => v.ToString(CultureInfo.InvariantCulture);

    private static ProtocolException Bad(string message) => ProtocolException.BadRequest(message);
}
