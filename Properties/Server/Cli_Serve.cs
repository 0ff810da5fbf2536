using AdaTapeDml.Properties.Cli;

namespace AdaTapeDml.Properties.Server;

/// <summary>`adatape bench serve` on the tiny trained run (every answer checked, figures printed) and `adatape serve`'s
/// one-line errors for bad options, given before anything listens.</summary>
public sealed class Cli_Serve(TinyTrainedRun trained) : IClassFixture<TinyTrainedRun>
{
    [Fact]
    public void Bench_serve_checks_every_answer_and_prints_latency_rates_and_memory()
    {
        var result = CliRun.Invoke("bench", "serve", "--run", trained.Run, "--requests", "60", "--clients", "4");
        Assert.True(result.Code == 0, result.Error + result.Out);
        Assert.Contains(result.OutLines, l => l.Contains("60 requests (") && l.Contains("from 4 clients"));
        Assert.Contains(result.OutLines, l => l.StartsWith("answers: 60 of 60 (0 lost), 0 wrong", StringComparison.Ordinal));
        Assert.Contains(result.OutLines, l => l.StartsWith("latency per request: p50 ", StringComparison.Ordinal) && l.Contains(", p99 "));
        Assert.Contains(result.OutLines, l => l.StartsWith("samples/s: server ", StringComparison.Ordinal) && l.Contains("server/in-process"));
        Assert.Contains(result.OutLines, l => l.StartsWith("memory: ", StringComparison.Ordinal) && l.Contains("after warm-up"));
    }

    [Theory]
    [InlineData("--ep=directml", "--ep chooses ONNX Runtime's execution provider; it needs --backend onnx")]
    [InlineData("--ep=tpu", "--ep tpu: allowed: cpu, directml, cuda")]
    [InlineData("--backend=tensorflow", "unknown backend 'tensorflow'; available:")]
    [InlineData("--host=localhost:80", "--host localhost:80: an IP address")]
    [InlineData("--max-in-flight=0", "--max-in-flight 0: must be >= 1")]
    [InlineData("--max-batch=0", "--max-batch 0: must be >= 1")]
    [InlineData("--port=70000", "--port 70000: allowed 0..65535")]
    [InlineData("--deadline=0", "--deadline 0: must be > 0 seconds")]
    [InlineData("--name=a --name=b", "2 --name values for 1 --run folders")]
    [InlineData("--name=a/b", "model name \"a/b\": allowed letters, digits")]
    public void Bad_options_are_one_line_errors(string options, string expected) =>
        CliRun.AssertOneLineError(CliRun.Invoke(["serve", "--run", trained.Run, .. options.Split(' ').SelectMany(o => o.Split('=', 2))]), expected);

    [Fact]
    public void A_run_without_weights_is_a_one_line_error() =>
        CliRun.AssertOneLineError(CliRun.Invoke("serve", "--run", Path.Combine(trained.Root, "missing")), "no trained weights");

    [Fact]
    public void The_same_model_name_twice_is_a_one_line_error() =>
        CliRun.AssertOneLineError(CliRun.Invoke("serve", "--run", trained.Run, "--run", trained.Run), "model name \"run\" is given twice");
}
