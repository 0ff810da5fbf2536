using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using AdaTapeDml.Core.Serialization;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Properties.Backends;
using AdaTapeDml.Properties.Halting.Backends;
using AdaTapeDml.Properties.Pipelines;

namespace AdaTapeDml.Properties.Cli;

/// <summary>Run folders for the heatmap and trace commands: an AdaTape image model with an input-driven bank of fine
/// patches (7 x 7 grid of 4-pixel patches), a Transformer without a tape, and a small IDX image file.</summary>
public sealed class HeatmapRuns : IDisposable
{
    public const int Images = 12;

    public static readonly RunSpec ImageSpec = SavedTinyModels.ImageSpec with
    {
        Name = "tiny-image-bank",
        Model = new AdaTapeModelSpec(TinySpecs.Encoder with { PatchSize = 7 },
            new TapeSpec(NumTapeTokens: 6, ActEpsilon: 1.5, SplitTt: 2, TtMlpDim: 16), new ImageInputBankSpec(PatchSize: 4)),
    };

    public string Root { get; } = Directory.CreateTempSubdirectory("adatape-heatmap-").FullName;
    public string AdaTape => Path.Combine(Root, "adatape");
    public string Transformer => Path.Combine(Root, "transformer");
    public string Idx => Path.Combine(Root, "images.idx");

    public HeatmapRuns()
    {
        Write(AdaTape, ImageSpec, seed: 7);
        Write(Transformer, ImageSpec with { Name = "tiny-vit", Model = new TransformerModelSpec(TinySpecs.Encoder with { PatchSize = 7 }) }, seed: 8);
        var random = new Random(3);
        var pixels = new byte[Images * 28 * 28];
        random.NextBytes(pixels);
        File.WriteAllBytes(Idx, IdxBytes(Images, pixels));
    }

    /// <summary>An uncompressed IDX image file (magic 2051, count, 28, 28, big-endian) holding <paramref name="pixels"/>.</summary>
    public static byte[] IdxBytes(int count, byte[] pixels)
    {
        var bytes = new byte[16 + pixels.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, 2051);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), count);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), 28);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(12), 28);
        pixels.CopyTo(bytes, 16);
        return bytes;
    }

    private static void Write(string folder, RunSpec spec, int seed)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "spec.json"), RunSpecJson.Serialize(spec));
        File.WriteAllBytes(Path.Combine(folder, "model.safetensors"), TorchInferenceBackend.RandomWeights(spec, seed));
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

/// <summary>`adatape heatmap` counts what `adatape infer --trace` prints, on both backends' traces; bad input is one
/// line and exit code 2.</summary>
public sealed class Cli_Heatmap(HeatmapRuns runs) : IClassFixture<HeatmapRuns>
{
    [Theory]
    [InlineData("torch", "count")]
    [InlineData("onnx", "count")]
    [InlineData("onnx", "weight")]
    public void Heatmap_counts_equal_a_count_of_the_infer_trace_output(string backend, string weighting)
    {
        var infer = CliRun.Invoke("infer", "--run", runs.AdaTape, "--input", runs.Idx, "--trace", "--backend", backend, "--batch", "5");
        Assert.True(infer.Code == 0, infer.Error);
        var expected = new double[49];
        var lines = infer.OutLines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(HeatmapRuns.Images, lines.Count);
        foreach (var line in lines)
        {
            var steps = line.GetProperty("trace").EnumerateArray().ToList();
            Assert.Equal(line.GetProperty("tapeLength").GetInt32(), steps.Count);                   // m = 1: one step per token
            foreach (var step in steps)
            {
                var weights = step.GetProperty("weights").EnumerateArray().Select(w => w.GetDouble()).ToArray();
                var indices = step.GetProperty("indices").EnumerateArray().Select(i => i.GetInt32()).ToArray();
                Assert.Equal(indices.Length, weights.Length);
                for (var c = 0; c < indices.Length; c++) expected[indices[c]] += weighting == "count" ? 1 : weights[c];
            }
        }

        var output = Path.Combine(runs.Root, $"heatmap-{backend}-{weighting}");
        var heatmap = CliRun.Invoke("heatmap", "--run", runs.AdaTape, "--input", runs.Idx, "--weighting", weighting, "--out", output);
        Assert.True(heatmap.Code == 0, heatmap.Error);
        Assert.True(File.Exists(Path.Combine(output, "heatmap.png")));
        var rows = File.ReadAllLines(Path.Combine(output, "heatmap.csv")).Skip(1).Select(l => l.Split(',')).Where(r => r[0] == "all").ToList();
        Assert.Equal(49, rows.Count);
        foreach (var row in rows)
        {
            var entry = int.Parse(row[3], CultureInfo.InvariantCulture);
            Assert.Equal((int.Parse(row[1], CultureInfo.InvariantCulture), int.Parse(row[2], CultureInfo.InvariantCulture)), (entry / 7, entry % 7));
            var actual = double.Parse(row[4], CultureInfo.InvariantCulture);                          // heatmap reads on torch
            Assert.True(Math.Abs(expected[entry] - actual) <= (weighting == "count" ? 0 : 1e-3), $"entry {entry}: {actual}, trace {expected[entry]}");
        }
        Assert.True(expected.Sum() > 0);
    }

    [Fact]
    public void Heatmap_on_a_run_without_a_tape_is_a_one_line_error() =>
        CliRun.AssertOneLineError(CliRun.Invoke("heatmap", "--run", runs.Transformer, "--input", runs.Idx), "has no tape");

    [Fact]
    public void Trace_with_a_model_without_a_tape_is_a_one_line_error() =>
        CliRun.AssertOneLineError(CliRun.Invoke("infer", "--run", runs.Transformer, "--input", runs.Idx, "--trace"), "--trace");

    [Fact]
    public void A_missing_or_truncated_input_file_is_a_one_line_error()
    {
        var missing = Path.Combine(runs.Root, "missing.idx");
        CliRun.AssertOneLineError(CliRun.Invoke("heatmap", "--run", runs.AdaTape, "--input", missing), "missing.idx");
        var truncated = Path.Combine(runs.Root, "truncated.idx");
        File.WriteAllBytes(truncated, File.ReadAllBytes(runs.Idx)[..1000]);
        CliRun.AssertOneLineError(CliRun.Invoke("heatmap", "--run", runs.AdaTape, "--input", truncated), "truncated.idx");
    }

    [Fact]
    public void By_class_with_an_input_file_and_an_unknown_weighting_are_one_line_errors()
    {
        CliRun.AssertOneLineError(CliRun.Invoke("heatmap", "--run", runs.AdaTape, "--input", runs.Idx, "--by-class"), "--by-class");
        CliRun.AssertOneLineError(CliRun.Invoke("heatmap", "--run", runs.AdaTape, "--input", runs.Idx, "--weighting", "mean"), "--weighting mean");
    }
}
