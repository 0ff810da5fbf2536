using System.Text;
using System.Text.Json;

namespace AdaTapeDml.Pipelines.Inference;

/// <summary>One JSON line per prediction: {"id", "prediction", "probabilities", "tapeLength"} (+ "trace": [{"indices",
/// "weights"}, ...] per ATR step when traced), or {"id", "error"} for a request that failed on its own.</summary>
public static class PredictionJson
{
    public static string Line(Prediction prediction)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", prediction.Id);
            if (prediction.IsError) json.WriteString("error", prediction.Error);
            else
            {
                json.WriteNumber("prediction", prediction.Class);
                json.WriteStartArray("probabilities");
                foreach (var p in prediction.Probabilities) json.WriteNumberValue(p);
                json.WriteEndArray();
                json.WriteNumber("tapeLength", prediction.TapeLength);
                if (prediction.Trace is { } trace) WriteTrace(json, trace);
            }
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteTrace(Utf8JsonWriter json, IEnumerable<Core.Contracts.TapeReadStep> trace)
    {
        json.WriteStartArray("trace");
        foreach (var step in trace)
        {
            json.WriteStartObject();
            json.WriteStartArray("indices");
            foreach (var i in step.Indices) json.WriteNumberValue(i);
            json.WriteEndArray();
            json.WriteStartArray("weights");
            foreach (var w in step.Weights) json.WriteNumberValue(w);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }
}
