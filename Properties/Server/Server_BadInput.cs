using System.Globalization;
using System.Net;
using AdaTapeDml.Backends.TorchSharp.Inference;
using System.Text;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Properties.Pipelines;
using AdaTapeDml.Server;

namespace AdaTapeDml.Properties.Server;

/// <summary>Bad requests each get their status and a one-line error naming the field and what is allowed, and the server
/// keeps serving: malformed JSON, wrong names, datatypes and shapes, values outside the input's range, NaN pixels, a bad
/// compute knob, a body over the limit.</summary>
public sealed class Server_BadInput(ServedTinyRun served) : IClassFixture<ServedTinyRun>
{
    private const string Seq = "\"inputs\": [{\"name\": \"sequence\", \"datatype\": \"INT8\", \"shape\": [1, 6], \"data\": [1, 0, -1, 1, 1, 0]}]";

    [Theory]
    [InlineData("{\"inputs\": [", "the request body is not valid JSON")]
    [InlineData("[1, 2]", "the request body must be a JSON object")]
    [InlineData("{\"inputz\": []}", "unknown field \"inputz\" (allowed: id, parameters, inputs, outputs)")]
    [InlineData("{\"id\": 7, " + Seq + "}", "id must be a string")]
    [InlineData("{\"inputs\": []}", "inputs must be an array of exactly one tensor, named \"sequence\"")]
    [InlineData("{\"inputs\": [{\"name\": \"seq\", \"datatype\": \"INT8\", \"shape\": [1, 6], \"data\": [1, 0, -1, 1, 1, 0]}]}", "inputs[0].name is \"seq\"; this model reads \"sequence\"")]
    [InlineData("{\"inputs\": [{\"name\": \"sequence\", \"datatype\": \"FP32\", \"shape\": [1, 6], \"data\": [1, 0, -1, 1, 1, 0]}]}", "inputs[0].datatype is \"FP32\"; allowed: INT8")]
    [InlineData("{\"inputs\": [{\"name\": \"sequence\", \"datatype\": \"INT8\", \"shape\": [1, 5], \"data\": [1, 0, -1, 1, 1]}]}", "inputs[0].shape is [1, 5]; this model reads [B, 6] with B >= 1")]
    [InlineData("{\"inputs\": [{\"name\": \"sequence\", \"datatype\": \"INT8\", \"shape\": [2, 6], \"data\": [1, 0, -1, 1, 1, 0]}]}", "inputs[0].data has 6 values; shape [2, 6] needs 12")]
    [InlineData("{\"inputs\": [{\"name\": \"sequence\", \"datatype\": \"INT8\", \"shape\": [1, 6], \"data\": [1, 0, 2, 1, 1, 0]}]}", "inputs[0].data element 2 is 2; INT8 sequence elements must be -1, 0 or 1")]
    [InlineData("{\"inputs\": [{\"name\": \"sequence\", \"datatype\": \"INT8\", \"shape\": [1, 6], \"data\": [1, 0, \"a\", 1, 1, 0]}]}", "inputs[0].data element 2 is \"a\"; elements must be numbers")]
    [InlineData("{\"parameters\": {\"act_epsilon\": -1}, " + Seq + "}", "parameters (act_epsilon, max_tape): ")]
    [InlineData("{\"parameters\": {\"act_epsilon\": \"low\"}, " + Seq + "}", "parameters.act_epsilon is \"low\"; it must be a number")]
    [InlineData("{\"parameters\": {\"max_tape\": 1.5}, " + Seq + "}", "parameters.max_tape is 1.5; it must be an integer")]
    [InlineData("{\"outputs\": [{\"name\": \"logits\"}], " + Seq + "}", "outputs[0].name is \"logits\"; allowed: probabilities, prediction, tape_length")]
    public async Task A_malformed_request_is_400_naming_the_field_and_the_server_keeps_serving(string body, string expected)
    {
        var (status, answer, _) = await ServerKit.Post(served.Client, "v2/models/parity/infer", body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(expected, ServerKit.Error(answer));
        var (next, _, _) = await ServerKit.Post(served.Client, "v2/models/parity/infer", "{" + Seq + "}");
        Assert.Equal(HttpStatusCode.OK, next);
    }

    [Fact]
    public async Task Nested_tensor_data_reads_as_its_row_major_flattening()
    {
        var flat = await ServerKit.Post(served.Client, "v2/models/parity/infer", ServerKit.Sequences([[1, 0, -1, 1, 1, 0], [0, 1, 1, 0, 0, 1]]));
        var nested = await ServerKit.Post(served.Client, "v2/models/parity/infer",
            "{\"id\": \"req\", \"inputs\": [{\"name\": \"sequence\", \"datatype\": \"INT8\", \"shape\": [2, 6], \"data\": [[1, 0, -1, 1, 1, 0], [0, 1, 1, 0, 0, 1]]}]}");
        Assert.Equal(HttpStatusCode.OK, nested.Status);
        Assert.Equal(flat.Body.GetRawText(), nested.Body.GetRawText());
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413_with_or_without_a_content_length_and_the_server_keeps_serving()
    {
        // A small limit keeps the oversized body within the socket's buffers: the client has sent it all when the 413 comes.
        await using var server = await ServerKit.Start(ServerKit.Model(served.Trained.Run), new ServerOptions(MaxBodyBytes: 1024));
        using var client = ServerKit.Client(server);
        var big = "{\"inputs\": [{\"name\": \"sequence\", \"datatype\": \"INT8\", \"shape\": [1, 6], \"data\": [" + string.Join(", ", Enumerable.Repeat("0", 1000)) + "]}]}";
        var (status, answer, _) = await ServerKit.Post(client, "v2/models/parity/infer", big);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains("larger than 1024 bytes (--max-body-bytes)", ServerKit.Error(answer));

        // Without a Content-Length the limit is met while reading: still 413.
        using var chunked = new HttpRequestMessage(HttpMethod.Post, "v2/models/parity/infer") { Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(big))) };
        chunked.Headers.TransferEncodingChunked = true;
        using var response = await client.SendAsync(chunked);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);

        var (next, _, _) = await ServerKit.Post(client, "v2/models/parity/infer", "{" + Seq + "}");
        Assert.Equal(HttpStatusCode.OK, next);
    }
}

/// <summary>Image requests: "image" UINT8 (0-255) or FP32 (0-1) [B, 28, 28]; NaN, out-of-range and fractional pixels are
/// 400s naming the element (served by a stand-in backend: these checks happen before any session is used); a tiny
/// random-weight image model answers UINT8 and FP32 pixels alike, as its own session does.</summary>
public sealed class Server_ImageInput
{
    [Fact]
    public async Task Uint8_and_fp32_pixels_give_the_answer_of_the_session_on_the_same_image()
    {
        var weights = SavedTinyModels.Images;
        var model = new ModelSource("images", SavedTinyModels.ImageSpec, "adatapedml_torch", knob => () => new TorchInferenceSession(weights, knob));
        await using var server = await ServerKit.Start(model);
        using var client = ServerKit.Client(server);
        var random = new Random(4);
        var pixels = Enumerable.Range(0, 2 * 784).Select(_ => random.Next(256)).ToArray();
        string Body(string datatype, IEnumerable<string> data) =>
            $"{{\"inputs\": [{{\"name\": \"image\", \"datatype\": \"{datatype}\", \"shape\": [2, 28, 28], \"data\": [{string.Join(", ", data)}]}}]}}";
        var bytes = await ServerKit.Post(client, "v2/models/images/infer", Body("UINT8", pixels.Select(p => p.ToString(CultureInfo.InvariantCulture))));
        var floats = await ServerKit.Post(client, "v2/models/images/infer", Body("FP32", pixels.Select(p => (p / 255f).ToString("R", CultureInfo.InvariantCulture))));
        Assert.True(bytes.Status == HttpStatusCode.OK, bytes.Body.ToString());
        var (a, b) = (ServerKit.Outputs(bytes.Body), ServerKit.Outputs(floats.Body));
        foreach (var name in new[] { "prediction", "tape_length" }) Assert.Equal(a[name].Data.Select(d => d.GetInt64()), b[name].Data.Select(d => d.GetInt64()));
        Assert.All(a["probabilities"].Data.Zip(b["probabilities"].Data), p => Assert.Equal(p.First.GetSingle(), p.Second.GetSingle(), 1e-5f));

        using var session = new TorchInferenceSession(weights);
        var (logits, lengths) = session.Run(pixels.Select(p => p / 255f).ToArray(), 2);
        var outputs = ServerKit.Outputs(bytes.Body);
        Assert.Equal([2, 10], outputs["probabilities"].Shape);
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(lengths[i], outputs["tape_length"].Data[i].GetInt32());
            var row = logits.AsSpan(i * 10, 10).ToArray();
            Assert.Equal(Array.IndexOf(row, row.Max()), outputs["prediction"].Data[i].GetInt64());
        }
    }

    private static ModelSource ImageModel() => new("images", new RunSpec("images", new AdaTapeModelSpec(), new FashionMnistTaskSpec()), "adatapedml_fake",
        _ => () => new FakeElasticSession());

    private static string Image(string datatype, string pixel, string rest = "0") =>
        $"{{\"inputs\": [{{\"name\": \"image\", \"datatype\": \"{datatype}\", \"shape\": [1, 28, 28], \"data\": [{pixel}, {string.Join(", ", Enumerable.Repeat(rest, 783))}]}}]}}";

    [Theory]
    [InlineData("FP32", "\"NaN\"", "inputs[0].data element 0 is NaN; FP32 pixels must be finite numbers in [0, 1]")]
    [InlineData("FP32", "NaN", "the request body is not valid JSON")]
    [InlineData("FP32", "1.5", "inputs[0].data element 0 is 1.5; FP32 pixels must be finite numbers in [0, 1]")]
    [InlineData("UINT8", "256", "inputs[0].data element 0 is 256; UINT8 pixels must be integers 0..255")]
    [InlineData("UINT8", "0.5", "inputs[0].data element 0 is 0.5; UINT8 pixels must be integers 0..255")]
    [InlineData("INT8", "0", "inputs[0].datatype is \"INT8\"; allowed: UINT8, FP32")]
    public async Task Bad_pixels_are_400_naming_the_element(string datatype, string pixel, string expected)
    {
        await using var server = await ServerKit.Start(ImageModel());
        using var client = ServerKit.Client(server);
        var metadata = await ServerKit.Get(client, "v2/models/images");
        Assert.Equal("1,28,28", string.Join(",", metadata.Body.GetProperty("inputs")[0].GetProperty("shape").EnumerateArray().Select(d => Math.Abs(d.GetInt64()))));
        var (status, answer, _) = await ServerKit.Post(client, "v2/models/images/infer", Image(datatype, pixel));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(expected, ServerKit.Error(answer));
    }
}
