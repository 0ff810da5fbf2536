using System.Buffers;
using System.Text.Json;
using AdaTapeDml.Pipelines.Inference;
using Microsoft.AspNetCore.Http;

namespace AdaTapeDml.Server;

/// <summary>The Open Inference Protocol's response bodies: errors {"error": ...}, model metadata and infer responses
/// (outputs as tensors {name, datatype, shape, data}).</summary>
public static class ProtocolJson
{
    public static Task Error(HttpContext context, int status, string message) => Write(context, status, json =>
    {
        json.WriteStartObject();
        json.WriteString("error", message);
        json.WriteEndObject();
    });

    /// <summary>GET /v2: the server's name, version and protocol extensions (none).</summary>
    public static Task ServerMetadata(HttpContext context) => Write(context, 200, json =>
    {
        json.WriteStartObject();
        json.WriteString("name", "adatapedml");
        json.WriteString("version", typeof(ProtocolJson).Assembly.GetName().Version?.ToString() ?? "0");
        json.WriteStartArray("extensions");
        json.WriteEndArray();
        json.WriteEndObject();
    });

    public static Task Metadata(HttpContext context, ServedModel model) => Write(context, 200, json =>
    {
        json.WriteStartObject();
        json.WriteString("name", model.Name);
        json.WriteStartArray("versions");
        json.WriteStringValue("1");
        json.WriteEndArray();
        json.WriteString("platform", model.Source.Platform);
        json.WriteStartArray("inputs");
        TensorMetadata(json, ModelSignature.Input(model.Spec.Task));
        json.WriteEndArray();
        json.WriteStartArray("outputs");
        foreach (var output in ModelSignature.Outputs(model.Spec)) TensorMetadata(json, output);
        json.WriteEndArray();
        json.WriteEndObject();
    });

    public static Task Response(HttpContext context, string model, InferRequest request, Prediction[] predictions) => Write(context, 200, json =>
    {
        json.WriteStartObject();
        json.WriteString("model_name", model);
        json.WriteString("model_version", "1");
        if (request.Id is not null) json.WriteString("id", request.Id);
        json.WriteStartArray("outputs");
        var batch = predictions.Length;
        bool Wanted(string name) => request.Outputs?.Contains(name) ?? true;
        if (Wanted(ModelSignature.Probabilities))
            Tensor(json, ModelSignature.Probabilities, "FP32", [batch, predictions[0].Probabilities.Length],
                w => { foreach (var p in predictions) foreach (var v in p.Probabilities) w.WriteNumberValue(v); });
        if (Wanted(ModelSignature.Prediction))
            Tensor(json, ModelSignature.Prediction, "INT64", [batch], w => { foreach (var p in predictions) w.WriteNumberValue((long)p.Class); });
        if (Wanted(ModelSignature.TapeLength))
            Tensor(json, ModelSignature.TapeLength, "INT32", [batch], w => { foreach (var p in predictions) w.WriteNumberValue(p.TapeLength); });
        if (Wanted(ModelSignature.UtSteps) && predictions.All(p => p.HaltingSteps is not null))
            Tensor(json, ModelSignature.UtSteps, "INT32", [batch], w => { foreach (var p in predictions) w.WriteNumberValue(p.HaltingSteps!.Value); });
        if (Wanted(ModelSignature.TokenDepth) && predictions.All(p => p.MeanTokenDepth is not null))
            Tensor(json, ModelSignature.TokenDepth, "FP32", [batch], w => { foreach (var p in predictions) w.WriteNumberValue((float)p.MeanTokenDepth!.Value); });
        json.WriteEndArray();
        json.WriteEndObject();
    });

    /// <summary>A JSON object of flags, e.g. {"live": true}; some probes read the body, most only the status.</summary>
    public static Task Flag(HttpContext context, int status, string name, bool value) => Write(context, status, json =>
    {
        json.WriteStartObject();
        json.WriteBoolean(name, value);
        json.WriteEndObject();
    });

    private static void TensorMetadata(Utf8JsonWriter json, ModelSignature.Tensor tensor)
    {
        json.WriteStartObject();
        json.WriteString("name", tensor.Name);
        json.WriteString("datatype", tensor.Datatypes[0]);
        json.WriteStartArray("shape");
        foreach (var d in tensor.Shape) json.WriteNumberValue(d);
        json.WriteEndArray();
        if (tensor.Datatypes.Length > 1)
        {
            // The protocol names one datatype per tensor; the others accepted are listed as a parameter.
            json.WriteStartObject("parameters");
            json.WriteString("datatypes", string.Join(",", tensor.Datatypes));
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }

    private static void Tensor(Utf8JsonWriter json, string name, string datatype, long[] shape, Action<Utf8JsonWriter> data)
    {
        json.WriteStartObject();
        json.WriteString("name", name);
        json.WriteString("datatype", datatype);
        json.WriteStartArray("shape");
        foreach (var d in shape) json.WriteNumberValue(d);
        json.WriteEndArray();
        json.WriteStartArray("data");
        data(json);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static async Task Write(HttpContext context, int status, Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer)) body(json);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }
}
