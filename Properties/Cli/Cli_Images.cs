using System.Text.Json;
using AdaTapeDml.Properties.Generators;

namespace AdaTapeDml.Properties.Cli;

/// <summary>`adatape images`: its bad input (one line, exit 2) and a whole run on a tiny IDX dataset written by the test.</summary>
public sealed class Cli_Images : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("adatape-images-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string Data(string name) => Directory.CreateDirectory(Path.Combine(dir, name)).FullName;

    [Fact]
    public void Bad_options_are_one_line_errors()
    {
        CliRun.AssertOneLineError(CliRun.Invoke("images", "--models", "vit,resnet"), "unknown model 'resnet'");
        CliRun.AssertOneLineError(CliRun.Invoke("images", "--budget-minutes", "0"), "--budget-minutes");
        CliRun.AssertOneLineError(CliRun.Invoke("images", "--steps", "0"), "--steps");
        CliRun.AssertOneLineError(CliRun.Invoke("images", "--seed", "0,x"), "comma-separated seeds");
        CliRun.AssertOneLineError(CliRun.Invoke("images", "--seed", "-1"), "whole number >= 0");
        CliRun.AssertOneLineError(CliRun.Invoke("images", "--seed", "1,2,1"), "listed twice");
        CliRun.AssertOneLineError(CliRun.Invoke("images", "--data-dir", Path.Combine(dir, "nowhere"), "--out", Path.Combine(dir, "out")),
            "apt-get install dataset-fashion-mnist");
    }

    [Fact]
    public void A_truncated_idx_file_is_a_one_line_error()
    {
        var data = Data("truncated");
        IdxFiles.WriteSet(data, "train", 20, 1, dropBytes: 100);
        IdxFiles.WriteSet(data, "t10k", 10, 2);
        var result = CliRun.Invoke("images", "--data-dir", data, "--out", Path.Combine(dir, "out"), "--steps", "1");
        CliRun.AssertOneLineError(result, "train-images-idx3-ubyte.gz");
        Assert.Contains("bytes of pixels", result.Error);
    }

    [Fact]
    public void An_idx_file_of_another_image_size_is_a_one_line_error()
    {
        var data = Data("size");
        IdxFiles.WriteSet(data, "train", 20, 1);
        IdxFiles.WriteSet(data, "t10k", 10, 2, size: 32);
        var result = CliRun.Invoke("images", "--data-dir", data, "--out", Path.Combine(dir, "out"), "--steps", "1");
        CliRun.AssertOneLineError(result, "found 32x32");
    }

    [Fact]
    public void A_tiny_run_writes_results_report_and_plots_and_is_reused()
    {
        var data = Data("tiny");
        IdxFiles.WriteDataset(data, train: 64, test: 40);
        var output = Path.Combine(dir, "out");
        var result = CliRun.Invoke("images", "--data-dir", data, "--out", output, "--steps", "2", "--models", "adatape,vit");
        Assert.True(result.Code == 0, result.Error);

        foreach (var file in new[] { "report.md", "results.json", "accuracy-vs-flops.png", "accuracy-vs-time.png", "heatmap.png", "heatmap.csv", "adatape/model.safetensors", "vit/result.json" })
            Assert.True(File.Exists(Path.Combine(output, file)), $"{file} missing");
        var cells = File.ReadLines(Path.Combine(output, "heatmap.csv")).Skip(1).Select(l => double.Parse(l.Split(',')[^1], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var adatape = (AdaTapeDml.Core.Specs.AdaTapeModelSpec)AdaTapeDml.Pipelines.Experiments.ImagesExperiment.SpecFor("adatape", 1, 0, dir)!.Model;
        Assert.Equal(AdaTapeDml.Core.Layout.ModelLayout.BankSizeOf(adatape.Bank!, new AdaTapeDml.Core.Specs.FashionMnistTaskSpec()), cells.Count); // one row per fine patch of the bank
        Assert.True(cells.Sum() > 0, "the heatmap counted no reads");
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "results.json")));
        var models = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(["adatape", "vit"], models.Select(m => m.GetProperty("name").GetString()));
        Assert.Equal(["adatape", "transformer"], models.Select(m => m.GetProperty("kind").GetString()));
        Assert.All(models, m => Assert.Equal(40, m.GetProperty("evalExamples").GetInt32()));
        Assert.All(models, m => Assert.Equal(2 * 128 / 64.0, m.GetProperty("epochs").GetDouble()));
        Assert.All(models, m => Assert.Equal(["onnx-cpu", "torch"], m.GetProperty("throughput").EnumerateArray().Select(t => t.GetProperty("backend").GetString())));
        Assert.NotEmpty(models[0].GetProperty("sweep").EnumerateArray());
        var report = File.ReadAllText(Path.Combine(output, "report.md"));
        Assert.Contains("cut by cap", report);
        Assert.Contains("No model was cut", report);
        Assert.Contains("2 of 2", report);

        var again = CliRun.Invoke("images", "--data-dir", data, "--out", output, "--steps", "2", "--models", "vit");
        Assert.True(again.Code == 0, again.Error);
        Assert.Contains("vit: finished earlier", again.Out);
    }

    [Fact]
    public void Several_seeds_write_each_seed_folder_and_the_means_at_the_root()
    {
        var data = Data("seeds");
        IdxFiles.WriteDataset(data, train: 64, test: 40);
        var output = Path.Combine(dir, "out");
        var result = CliRun.Invoke("images", "--data-dir", data, "--out", output, "--steps", "1", "--models", "adatape", "--seed", "0,1");
        Assert.True(result.Code == 0, result.Error);

        foreach (var file in new[] { "report.md", "results.json", "accuracy-vs-flops.png", "seed-0/report.md", "seed-0/heatmap.png", "seed-0/accuracy-vs-time.png", "seed-1/adatape/model.safetensors", "seed-1/heatmap.csv" })
            Assert.True(File.Exists(Path.Combine(output, file)), $"{file} missing");
        Assert.False(File.Exists(Path.Combine(output, "accuracy-vs-time.png")));                       // drawn from run folders: per seed only
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "results.json")));
        var model = Assert.Single(json.RootElement.EnumerateArray().ToList());
        Assert.Equal([0, 1], model.GetProperty("seeds").EnumerateArray().Select(s => s.GetInt32()));
        Assert.Contains("| seed 0 | seed 1 | mean ± std |", result.Out);
    }
}
