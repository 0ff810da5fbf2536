using System.Text.Json;
using AdaTapeDml.Core.Serialization;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Properties.Backends;
using AdaTapeDml.Properties.Cli;
using Microsoft.ML.OnnxRuntime;

namespace AdaTapeDml.Properties.Onnx;

/// <summary>`adatape export onnx`, `infer --backend onnx` and `bench infer` on a tiny trained run.</summary>
public sealed class Cli_Onnx(TinyTrainedRun trained) : IClassFixture<TinyTrainedRun>
{
    [Fact]
    public void Export_writes_three_loadable_stages_and_a_manifest()
    {
        var output = Path.Combine(trained.Root, "onnx");
        var result = CliRun.Invoke("export", "onnx", "--run", trained.Run, "--out", output);
        Assert.True(result.Code == 0, result.Error);
        foreach (var file in new[] { "read.onnx", "encode.onnx", "full.onnx" })
        {
            using var options = new SessionOptions();
            using var session = new InferenceSession(Path.Combine(output, file), options);
            Assert.NotEmpty(session.OutputMetadata);
        }
        var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "manifest.json"))).RootElement;
        Assert.Equal(17, manifest.GetProperty("opset").GetInt32());
        Assert.Equal("adatape", manifest.GetProperty("modelKind").GetString());
        Assert.Equal("tiny-adatape", manifest.GetProperty("spec").GetString());
        Assert.Equal([0, 1, 2, 3, 4], manifest.GetProperty("tapeLengths").EnumerateArray().Select(e => e.GetInt32()));
        var encode = manifest.GetProperty("stages").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "encode");
        var tape = encode.GetProperty("inputs").EnumerateArray().Single(i => i.GetProperty("name").GetString() == "tape");
        Assert.Equal("tape_length", tape.GetProperty("shape")[1].GetString());
        Assert.Empty(Directory.GetFiles(output, "*.tmp-*"));
    }

    [Theory]
    [InlineData(ModelKinds.Transformer)]
    [InlineData(ModelKinds.UniversalTransformer)]
    public void Export_of_a_baseline_writes_only_the_full_graph_and_names_its_kind_as_the_spec_does(string kind)
    {
        ModelSpec model = kind == ModelKinds.Transformer ? new TransformerModelSpec(TinySpecs.Encoder) : new UniversalTransformerModelSpec(TinySpecs.Encoder);
        var spec = Path.Combine(trained.Root, $"{kind}.json");
        File.WriteAllText(spec, RunSpecJson.Serialize(TinySpecs.Of(model, steps: 2)));
        var run = Path.Combine(trained.Root, $"{kind}-run");
        Assert.Equal(0, CliRun.Invoke("train", "--spec", spec, "--out", run).Code);
        var output = Path.Combine(trained.Root, $"{kind}-onnx");
        Assert.Equal(0, CliRun.Invoke("export", "onnx", "--run", run, "--out", output).Code);
        Assert.Equal(["full.onnx", "manifest.json"], Directory.GetFiles(output).Select(Path.GetFileName).Order());
        var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "manifest.json"))).RootElement;
        Assert.Equal(kind, manifest.GetProperty("modelKind").GetString());
        Assert.Equal(kind, manifest.GetProperty("runSpec").GetProperty("model").GetProperty("kind").GetString());
    }

    [Fact]
    public void Export_without_weights_is_a_one_line_error() =>
        CliRun.AssertOneLineError(CliRun.Invoke("export", "onnx", "--run", Path.Combine(trained.Root, "absent"), "--out", Path.Combine(trained.Root, "x")), "no trained weights");

    [Fact]
    public void Infer_with_onnx_prints_what_torch_prints()
    {
        var torch = CliRun.Invoke("infer", "--run", trained.Run, "--parity-samples", "20", "--batch", "6");
        var onnx = CliRun.Invoke("infer", "--run", trained.Run, "--parity-samples", "20", "--batch", "6", "--backend", "onnx", "--ep", "cpu");
        Assert.True(onnx.Code == 0, onnx.Error);
        Assert.Equal(torch.OutLines.Length, onnx.OutLines.Length);
        foreach (var (t, o) in torch.OutLines.Zip(onnx.OutLines).Select(p => (JsonDocument.Parse(p.First).RootElement, JsonDocument.Parse(p.Second).RootElement)))
        {
            Assert.Equal(t.GetProperty("id").GetString(), o.GetProperty("id").GetString());
            Assert.Equal(t.GetProperty("tapeLength").GetInt32(), o.GetProperty("tapeLength").GetInt32());
            Assert.Equal(t.GetProperty("prediction").GetInt32(), o.GetProperty("prediction").GetInt32());
            var difference = t.GetProperty("probabilities").EnumerateArray().Zip(o.GetProperty("probabilities").EnumerateArray())
                .Max(p => Math.Abs(p.First.GetDouble() - p.Second.GetDouble()));
            Assert.True(difference <= 1e-4, $"probabilities differ by {difference}");
        }
    }

    [Fact]
    public void Infer_on_directml_here_is_a_clear_error_and_falls_back_to_cpu_when_asked()
    {
        var absent = CliRun.Invoke("infer", "--run", trained.Run, "--parity-samples", "4", "--backend", "onnx", "--ep", "directml");
        CliRun.AssertOneLineError(absent, "'directml' (DmlExecutionProvider) is not in this ONNX Runtime build; available: CPUExecutionProvider");
        var fallback = CliRun.Invoke("infer", "--run", trained.Run, "--parity-samples", "4", "--backend", "onnx", "--ep", "directml", "--fallback", "cpu");
        Assert.True(fallback.Code == 0, fallback.Error);
        Assert.Equal(4, fallback.OutLines.Length);
        Assert.Single(fallback.ErrorLines, l => l.Contains("falling back to cpu"));
    }

    [Fact]
    public void Bench_infer_prints_throughput_latency_and_ratios_with_identical_lengths()
    {
        var result = CliRun.Invoke("bench", "infer", "--run", trained.Run, "--seconds", "0.5", "--samples", "64", "--batch", "16");
        Assert.True(result.Code == 0, result.Error);
        Assert.Contains(result.OutLines, l => l.Contains("tape lengths identical 64/64"));
        Assert.Contains(result.OutLines, l => l.StartsWith("throughput batch 16: torch padded", StringComparison.Ordinal) && l.Contains("onnx-cpu elastic"));
        Assert.Contains(result.OutLines, l => l.StartsWith("latency batch 1", StringComparison.Ordinal) && l.Contains("x faster"));
    }
}
