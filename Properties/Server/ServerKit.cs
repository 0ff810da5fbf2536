using System.Net;
using System.Text;
using System.Text.Json;
using AdaTapeDml.Cli;
using AdaTapeDml.Server;

namespace AdaTapeDml.Properties.Server;

/// <summary>What the server tests share: the tiny trained run served by the CLI's wiring, a real server on a loopback
/// port, and requests and answers as the protocol's JSON.</summary>
public static class ServerKit
{
    public static ModelSource Model(string run, string backend = "torch") =>
        ServedRuns.From(new CliContext(TextWriter.Null, TextWriter.Null), run, "parity", backend, "cpu", 0);

    /// <summary>The model with every session behind <paramref name="gate"/>.</summary>
    public static ModelSource Gated(ModelSource model, ManualResetEventSlim gate, Action? onDispose = null, Action? onWait = null) => model with
    {
        Sessions = knob =>
        {
            var create = model.Sessions(knob);
            return () => new GatedSession(create(), gate, onDispose, onWait);
        },
    };

    public static Task<InferenceServer> Start(ModelSource model, ServerOptions? options = null) =>
        InferenceServer.StartAsync([model], (options ?? new ServerOptions()) with { Port = 0 });

    public static HttpClient Client(InferenceServer server) => new() { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(2) };

    /// <summary>An infer body for parity sequences: one "sequence" INT8 tensor [B, L].</summary>
    public static string Sequences(sbyte[][] sequences, string? id = "req", string parameters = "") =>
        $"{{{(id is null ? "" : $"\"id\": \"{id}\", ")}{parameters}\"inputs\": [{{\"name\": \"sequence\", \"datatype\": \"INT8\", \"shape\": [{sequences.Length}, {sequences[0].Length}], " +
        $"\"data\": [{string.Join(", ", sequences.SelectMany(s => s))}]}}]}}";

    public static async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> Post(HttpClient client, string path, string body, CancellationToken cancel = default)
    {
        var response = await client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"), cancel);
        return (response.StatusCode, await Json(response), response);
    }

    public static async Task<(HttpStatusCode Status, JsonElement Body)> Get(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        return (response.StatusCode, await Json(response));
    }

    /// <summary>The outputs of an infer response by name: (datatype, shape, data).</summary>
    public static Dictionary<string, (string Datatype, long[] Shape, JsonElement[] Data)> Outputs(JsonElement body) =>
        body.GetProperty("outputs").EnumerateArray().ToDictionary(o => o.GetProperty("name").GetString()!,
            o => (o.GetProperty("datatype").GetString()!, o.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray(), o.GetProperty("data").EnumerateArray().ToArray()));

    private static async Task<JsonElement> Json(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>An error body: {"error": one line}.</summary>
    public static string Error(JsonElement body)
    {
        var error = body.GetProperty("error").GetString()!;
        Assert.DoesNotContain('\n', error);
        return error;
    }
}
