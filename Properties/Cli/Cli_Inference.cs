using System.Text.Json;
using AdaTapeDml.Backends.TorchSharp.Inference;
using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Serialization;
using AdaTapeDml.Core.Tasks;
using AdaTapeDml.Properties.Backends;

namespace AdaTapeDml.Properties.Cli;

/// <summary>A tiny trained parity run, made once for the inference command tests.</summary>
public sealed class TinyTrainedRun : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("adatape-infer-").FullName;
    public string Run => Path.Combine(Root, "run");

    public TinyTrainedRun()
    {
        var spec = Path.Combine(Root, "spec.json");
        File.WriteAllText(spec, RunSpecJson.Serialize(TinySpecs.AdaTapeParity(steps: 6)));
        var train = CliRun.Invoke("train", "--spec", spec, "--out", Run);
        if (train.Code != 0) throw new InvalidOperationException(train.Error);
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

/// <summary>`adatape infer`, `knob` and `bench elastic` on a tiny trained run: JSON lines that match the backend's padded
/// execution, the compute knob, and one-line errors for bad input.</summary>
public sealed class Cli_Inference(TinyTrainedRun trained) : IClassFixture<TinyTrainedRun>
{
    private const int SeqLen = 6;

    private string Write(string name, string text)
    {
        var path = Path.Combine(trained.Root, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static List<JsonElement> Lines(CliRun.Outcome outcome) => outcome.OutLines.Select(l => JsonDocument.Parse(l).RootElement).ToList();

    [Fact]
    public void Infer_prints_one_json_line_per_held_out_sample_in_order()
    {
        var result = CliRun.Invoke("infer", "--run", trained.Run, "--parity-samples", "12", "--batch", "5");
        Assert.True(result.Code == 0, result.Error);
        var lines = Lines(result);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => $"eval{i}"), lines.Select(l => l.GetProperty("id").GetString()));
        foreach (var line in lines)
        {
            var probabilities = line.GetProperty("probabilities").EnumerateArray().Select(p => p.GetSingle()).ToArray();
            Assert.Equal(2, probabilities.Length);
            Assert.Equal(1.0, probabilities.Sum(), 5);
            Assert.Equal(Array.IndexOf(probabilities, probabilities.Max()), line.GetProperty("prediction").GetInt32());
            Assert.InRange(line.GetProperty("tapeLength").GetInt32(), 1, 4);
        }
        Assert.Contains("accuracy", result.Error);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(1.0)]
    public void Infer_on_a_file_matches_padded_execution_with_and_without_the_compute_knob(double? actEpsilon)
    {
        sbyte[][] sequences = [[1, 0, -1, 1, 1, 0], [0, 0, 0, 0, 0, 0], [1, 1, 1, 1, 1, 1], [-1, 1, 0, 0, 1, -1]];
        var input = Write($"in{actEpsilon}.jsonl", string.Join("\n", sequences.Select((s, i) => $"{{\"id\": \"s{i}\", \"sequence\": [{string.Join(", ", s)}]}}")) + "\n\n");
        string[] args = ["infer", "--run", trained.Run, "--input", input];
        var result = CliRun.Invoke(actEpsilon is { } tau ? [.. args, "--act-epsilon", tau.ToString(System.Globalization.CultureInfo.InvariantCulture)] : args);
        Assert.True(result.Code == 0, result.Error);

        using var session = new TorchInferenceSession(Path.Combine(trained.Run, "model.safetensors"), actEpsilon is null ? null : new TapeOverride(actEpsilon));
        var (logits, lengths) = session.Run(AdaTapeDml.Core.Tasks.Parity.OneHot(sequences, SeqLen), sequences.Length);
        var lines = Lines(result);
        Assert.Equal(["s0", "s1", "s2", "s3"], lines.Select(l => l.GetProperty("id").GetString()));
        for (var i = 0; i < sequences.Length; i++)
        {
            Assert.Equal(lengths[i], lines[i].GetProperty("tapeLength").GetInt32());
            Assert.Equal(logits[2 * i] >= logits[2 * i + 1] ? 0 : 1, lines[i].GetProperty("prediction").GetInt32());
        }
        if (actEpsilon is not null) Assert.All(lengths, l => Assert.InRange(l, 1, 4));
    }

    [Theory]
    [InlineData("both", "exactly one of --input FILE and --parity-samples N")]
    [InlineData("neither", "exactly one of --input FILE and --parity-samples N")]
    [InlineData("--backend=tensorflow", "unknown backend 'tensorflow'; available:")]
    [InlineData("--ep=directml", "it needs --backend onnx")]
    [InlineData("--ep=tpu", "--ep tpu: allowed: cpu, directml, cuda")]
    [InlineData("--fallback=gpu", "the only fallback is 'cpu'")]
    [InlineData("--act-epsilon=0", "actEpsilon")]
    [InlineData("--parity-samples=999999", "allowed 1..50")]
    public void Impossible_option_combinations_are_one_line_errors(string option, string expected)
    {
        var input = Write("ok.jsonl", "{\"id\": \"a\", \"sequence\": [1, 0, -1, 1, 1, 0]}");
        string[] args = option switch
        {
            "both" => ["infer", "--run", trained.Run, "--input", input, "--parity-samples", "3"],
            "neither" => ["infer", "--run", trained.Run],
            _ when option.StartsWith("--parity-samples", StringComparison.Ordinal) => ["infer", "--run", trained.Run, .. option.Split('=')],
            _ => ["infer", "--run", trained.Run, "--input", input, .. option.Split('=')],
        };
        CliRun.AssertOneLineError(CliRun.Invoke(args), expected);
    }

    [Fact]
    public void Knob_writes_table_and_plot_and_rejects_an_invalid_threshold()
    {
        var output = Path.Combine(trained.Root, "knob");
        var result = CliRun.Invoke("knob", "--run", trained.Run, "--act-epsilon", "1,2", "--out", output);
        Assert.True(result.Code == 0, result.Error);
        Assert.Equal(2, result.OutLines.Count(l => l.StartsWith("actEpsilon", StringComparison.Ordinal)));
        foreach (var file in new[] { "knob.md", "knob.csv", "knob.png" }) Assert.True(File.Exists(Path.Combine(output, file)), file);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(output, "knob.csv")).Length);                 // header + 2 thresholds
        CliRun.AssertOneLineError(CliRun.Invoke("knob", "--run", trained.Run, "--act-epsilon", "-1"), "-1");
    }

    [Theory]
    [InlineData("torch", "1")]
    [InlineData("onnx", "2")]
    public void Bench_elastic_prints_padded_and_every_elastic_mode_with_its_choices_profile_and_an_exact_match(string backend, string groupWidth)
    {
        var result = CliRun.Invoke("bench", "elastic", "--run", trained.Run, "--backend", backend, "--group-width", groupWidth,
            "--samples", "40", "--rounds", "1", "--batch", "8", "--load", "400");
        Assert.True(result.Code == 0, result.Error);
        Assert.Contains(result.OutLines, l => l.Contains($" on {backend}") && l.Contains("cost-model speedup") && l.Contains("of the elastic FLOPs"));
        Assert.Contains(result.OutLines, l => l.StartsWith("padded (Run", StringComparison.Ordinal) && l.EndsWith("samples/s", StringComparison.Ordinal));
        foreach (var mode in new[] { "auto", "packed", "padded per batch", "grouped" })
        {
            var line = result.OutLines.Single(l => l.StartsWith($"elastic {mode}", StringComparison.Ordinal));
            Assert.Contains("of expected", line);
            Assert.Contains("READ", line);
            Assert.Contains("ENCODE calls packed", line);
            var difference = line.Split(' ')[^1];
            Assert.True(double.Parse(difference, System.Globalization.CultureInfo.InvariantCulture) <= 1e-5, $"{mode}: {difference}");
        }
        Assert.Contains("ENCODE calls packed 5, padded 0", result.OutLines.Single(l => l.StartsWith("elastic packed", StringComparison.Ordinal)));   // 40 samples in batches of 8
        Assert.Equal(4, result.OutLines.Count(l => l.TrimStart().StartsWith("wall", StringComparison.Ordinal) && l.Contains("ENCODE")));
        // Auto is timed only after its warm-up: at least WarmChoices micro-batches (whole passes over the 40 samples).
        var warmUp = System.Text.RegularExpressions.Regex.Match(string.Join('\n', result.OutLines), @"after (\d+) warm-up micro-batches");
        Assert.True(warmUp.Success, "the auto line names its warm-up");
        Assert.True(int.Parse(warmUp.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= AdaTapeDml.Pipelines.Inference.ElasticBenchmark.WarmChoices, warmUp.Value);
        Assert.Contains(result.OutLines, l => l.StartsWith("load: 400 requests", StringComparison.Ordinal) && l.EndsWith("400 answered, 0 wrong or mismatched"));
    }

    [Fact]
    public void Bench_elastic_rejects_an_unknown_backend_and_a_zero_group_width()
    {
        CliRun.AssertOneLineError(CliRun.Invoke("bench", "elastic", "--run", trained.Run, "--backend", "tpu"), "tpu");
        CliRun.AssertOneLineError(CliRun.Invoke("bench", "elastic", "--run", trained.Run, "--group-width", "0"), "--group-width");
        CliRun.AssertOneLineError(CliRun.Invoke("bench", "elastic", "--run", trained.Run, "--modes", "auto,fastest"), "fastest");
    }
}
