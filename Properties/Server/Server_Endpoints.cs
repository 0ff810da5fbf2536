using System.Globalization;
using System.Net;
using System.Text.Json;
using AdaTapeDml.Properties.Cli;
using AdaTapeDml.Server;

namespace AdaTapeDml.Properties.Server;

/// <summary>The tiny trained run served on a loopback port, shared by the endpoint tests.</summary>
public sealed class ServedTinyRun : IAsyncLifetime
{
    public TinyTrainedRun Trained { get; } = new();
    public InferenceServer Server { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await ServerKit.Start(ServerKit.Model(Trained.Run));
        Client = ServerKit.Client(Server);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
        Trained.Dispose();
    }
}

/// <summary>Every Open Inference Protocol endpoint of a real server on 127.0.0.1: health, metadata, readiness, infer
/// (answers equal to `adatape infer`'s, with and without the compute knob), Prometheus metrics, and 404s.</summary>
public sealed class Server_Endpoints(ServedTinyRun served) : IClassFixture<ServedTinyRun>
{
    private static readonly sbyte[][] Sequences = [[1, 0, -1, 1, 1, 0], [0, 0, 0, 0, 0, 0], [1, 1, 1, 1, 1, 1], [-1, 1, 0, 0, 1, -1], [1, -1, 1, -1, 0, 1]];

    private HttpClient Client => served.Client;

    [Fact]
    public void The_server_listens_on_a_real_loopback_port()
    {
        Assert.Equal("127.0.0.1", served.Server.Address.Host);
        Assert.NotEqual(0, served.Server.Address.Port);
    }

    [Fact]
    public async Task Health_and_readiness_answer_200_with_their_flags()
    {
        var live = await ServerKit.Get(Client, "v2/health/live");
        Assert.Equal(HttpStatusCode.OK, live.Status);
        Assert.True(live.Body.GetProperty("live").GetBoolean());
        var ready = await ServerKit.Get(Client, "v2/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.Status);
        Assert.True(ready.Body.GetProperty("ready").GetBoolean());
        var model = await ServerKit.Get(Client, "v2/models/parity/ready");
        Assert.Equal(HttpStatusCode.OK, model.Status);
        var server = await ServerKit.Get(Client, "v2");
        Assert.Equal("adatapedml", server.Body.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Model_metadata_lists_the_tensors_with_datatypes_and_shapes()
    {
        var (status, body) = await ServerKit.Get(Client, "v2/models/parity");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("parity", body.GetProperty("name").GetString());
        Assert.Equal("adatapedml_torch", body.GetProperty("platform").GetString());
        var input = Assert.Single(body.GetProperty("inputs").EnumerateArray());
        Assert.Equal(("sequence", "INT8", "-1,6"), (input.GetProperty("name").GetString(), input.GetProperty("datatype").GetString(), Shape(input)));
        var outputs = body.GetProperty("outputs").EnumerateArray().Select(o => (o.GetProperty("name").GetString(), o.GetProperty("datatype").GetString(), Shape(o)));
        Assert.Equal([("probabilities", "FP32", "-1,2"), ("prediction", "INT64", "-1"), ("tape_length", "INT32", "-1")], outputs);
    }

    [Theory]
    [InlineData("GET", "v2/models/nope")]
    [InlineData("GET", "v2/models/nope/ready")]
    [InlineData("POST", "v2/models/nope/infer")]
    [InlineData("GET", "v2/nowhere")]
    public async Task Unknown_models_and_paths_get_404_with_an_error_body(string method, string path)
    {
        using var response = method == "GET" ? await Client.GetAsync(path) : await Client.PostAsync(path, new StringContent(ServerKit.Sequences(Sequences)));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = ServerKit.Error(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement);
        Assert.Contains(path.Contains("nope") ? "model \"nope\" is not served; served: parity" : "no endpoint GET /v2/nowhere", error);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(1.0)]
    public async Task An_answer_equals_adatape_infer_for_the_same_input_with_and_without_the_compute_knob(double? actEpsilon)
    {
        var tau = actEpsilon?.ToString(CultureInfo.InvariantCulture);
        var (status, body, _) = await ServerKit.Post(Client, "v2/models/parity/infer",
            ServerKit.Sequences(Sequences, "batch-1", tau is null ? "" : $"\"parameters\": {{\"act_epsilon\": {tau}}}, "));
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        Assert.Equal(("parity", "batch-1"), (body.GetProperty("model_name").GetString(), body.GetProperty("id").GetString()));
        var outputs = ServerKit.Outputs(body);
        Assert.Equal([5, 2], outputs["probabilities"].Shape);
        Assert.Equal([5], outputs["prediction"].Shape);
        Assert.Equal([5], outputs["tape_length"].Shape);

        var lines = Infer(tau);
        for (var i = 0; i < Sequences.Length; i++)
        {
            Assert.Equal(lines[i].GetProperty("prediction").GetInt64(), outputs["prediction"].Data[i].GetInt64());
            Assert.Equal(lines[i].GetProperty("tapeLength").GetInt32(), outputs["tape_length"].Data[i].GetInt32());
            var expected = lines[i].GetProperty("probabilities").EnumerateArray().Select(p => p.GetSingle()).ToArray();
            for (var c = 0; c < 2; c++) Assert.Equal(expected[c], outputs["probabilities"].Data[2 * i + c].GetSingle(), 1e-5f);
        }
    }

    [Fact]
    public async Task The_knob_changes_tape_lengths_as_a_lower_threshold_should()
    {
        async Task<int> TotalTape(string parameters)
        {
            var (status, body, _) = await ServerKit.Post(Client, "v2/models/parity/infer", ServerKit.Sequences(Sequences, parameters: parameters));
            Assert.True(status == HttpStatusCode.OK, body.ToString());
            return ServerKit.Outputs(body)["tape_length"].Data.Sum(d => d.GetInt32());
        }
        var trained = await TotalTape("");
        Assert.Equal(trained, await TotalTape("\"parameters\": {\"act_epsilon\": 2.0, \"max_tape\": 4}, "));   // the trained values
        Assert.True(await TotalTape("\"parameters\": {\"act_epsilon\": 1.0}, ") <= trained);
        Assert.Equal(Sequences.Length, await TotalTape("\"parameters\": {\"act_epsilon\": 1.0, \"max_tape\": 1}, "));   // one token each
    }

    [Fact]
    public async Task Outputs_asked_for_are_the_only_ones_answered()
    {
        var body = ServerKit.Sequences(Sequences).TrimEnd('}') + ", \"outputs\": [{\"name\": \"tape_length\"}]}";
        var (status, answer, _) = await ServerKit.Post(Client, "v2/models/parity/infer", body);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["tape_length"], ServerKit.Outputs(answer).Keys);
    }

    [Fact]
    public async Task Metrics_are_prometheus_text_with_requests_latency_batches_tapes_and_encode_calls()
    {
        var (status, _, _) = await ServerKit.Post(Client, "v2/models/parity/infer", ServerKit.Sequences(Sequences));
        Assert.Equal(HttpStatusCode.OK, status);
        var text = await Client.GetStringAsync("metrics");
        Assert.Matches("adatape_inference_requests_total\\{model=\"parity\",status=\"200\"\\} [1-9]", text);
        Assert.Contains("adatape_inference_request_duration_seconds_bucket{model=\"parity\",status=\"200\",le=", text);
        Assert.Contains("adatape_inference_requests_in_flight", text);
        Assert.Matches("adatape_micro_batch_size_count\\{model=\"parity\"\\} [1-9]", text);
        Assert.Matches("adatape_tape_length_count\\{model=\"parity\"\\} [1-9]", text);
        Assert.Matches("adatape_encode_calls_total\\{model=\"parity\"\\} [1-9]", text);
    }

    private JsonElement[] Infer(string? tau)
    {
        var path = Path.Combine(served.Trained.Root, $"serve-{tau ?? "trained"}.jsonl");
        File.WriteAllLines(path, Sequences.Select((s, i) => $"{{\"id\": \"s{i}\", \"sequence\": [{string.Join(", ", s)}]}}"));
        var result = CliRun.Invoke(tau is null ? ["infer", "--run", served.Trained.Run, "--input", path] : ["infer", "--run", served.Trained.Run, "--input", path, "--act-epsilon", tau]);
        Assert.True(result.Code == 0, result.Error);
        return result.OutLines.Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToArray();
    }

    private static string Shape(JsonElement tensor) => string.Join(",", tensor.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
}
