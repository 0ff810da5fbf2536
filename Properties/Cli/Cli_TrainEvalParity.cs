using AdaTapeDml.Cli;
using AdaTapeDml.Core.Serialization;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Properties.Backends;

namespace AdaTapeDml.Properties.Cli;

/// <summary>`adatape train`, `eval` and `parity` end to end on tiny runs, and their one-line errors (exit 2).</summary>
public sealed class Cli_TrainEvalParity : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("adatape-cli-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static CliRun.Outcome Run(params string[] args) => CliRun.Invoke(args);

    private static void AssertOneLineError(CliRun.Outcome result, string expected) => CliRun.AssertOneLineError(result, expected);

    private string WriteSpec(RunSpec spec)
    {
        var path = Path.Combine(dir, $"{Guid.NewGuid():N}.json");
        File.WriteAllText(path, RunSpecJson.Serialize(spec));
        return path;
    }

    [Fact]
    public void Train_then_eval_then_resume_a_finished_run()
    {
        var spec = WriteSpec(TinySpecs.AdaTapeParity(steps: 6));
        var run = Path.Combine(dir, "run");
        var train = Run("train", "--spec", spec, "--out", run);
        Assert.True(train.Code == 0, train.Error);
        foreach (var file in new[] { "spec.json", "checkpoint.safetensors", "model.safetensors", "metrics.csv", "evals.csv" })
            Assert.True(File.Exists(Path.Combine(run, file)), $"{file} missing");
        Assert.Equal(7, File.ReadAllLines(Path.Combine(run, "metrics.csv")).Length);           // header + 6 steps
        var eval = Run("eval", "--run", run);
        Assert.True(eval.Code == 0, eval.Error);
        Assert.Contains("held-out accuracy", eval.Out);
        Assert.Contains("at step 6", eval.Out);
        AssertOneLineError(Run("train", "--spec", spec, "--out", run), "already holds a run");
        Assert.Equal(0, Run("train", "--out", run, "--resume").Code);
    }

    [Fact]
    public void Eval_refuses_truncated_foreign_and_mismatched_weights()
    {
        var run = Path.Combine(dir, "run");
        Assert.Equal(0, Run("train", "--spec", WriteSpec(TinySpecs.AdaTapeParity(steps: 2)), "--out", run).Code);
        var weights = Path.Combine(run, "model.safetensors");
        var good = File.ReadAllBytes(weights);

        File.WriteAllBytes(weights, good[..(good.Length - 100)]);
        AssertOneLineError(Run("eval", "--run", run), "truncated");

        File.WriteAllText(weights, "{\"this\": \"is not a weight file\"}");
        AssertOneLineError(Run("eval", "--run", run), "not a safetensors file");

        File.WriteAllBytes(weights, good);
        var other = TinySpecs.AdaTapeParity() with { Model = new TransformerModelSpec(TinySpecs.Encoder) };
        File.WriteAllText(Path.Combine(run, "spec.json"), RunSpecJson.Serialize(other));
        AssertOneLineError(Run("eval", "--run", run), "different model");

        File.Delete(weights);
        File.Delete(Path.Combine(run, "checkpoint.safetensors"));
        AssertOneLineError(Run("eval", "--run", run), "does not exist");
    }

    [Fact]
    public void Bad_options_are_one_line_errors()
    {
        AssertOneLineError(Run("parity", "--models", "adatape,lstm"), "unknown model 'lstm'");
        AssertOneLineError(Run("parity", "--budget-minutes", "0"), "--budget-minutes");
        AssertOneLineError(Run("parity", "--seq-len", "1"), "--seq-len 1");
        AssertOneLineError(Run("parity", "--seed", "1,one"), "comma-separated seeds");
        AssertOneLineError(Run("train", "--spec", Path.Combine(dir, "missing.json"), "--out", dir), "missing.json");
        AssertOneLineError(Run("train", "--out", Path.Combine(dir, "none"), "--resume"), "does not exist");
        AssertOneLineError(Run("eval", "--run", Path.Combine(dir, "nowhere")), "no such folder");
        AssertOneLineError(Run("bench", "train", "--models", "rnn"), "unknown model 'rnn'");
    }

    [Fact]
    public void Parity_command_writes_report_results_and_plot()
    {
        var output = Path.Combine(dir, "parity");
        var result = Run("parity", "--seq-len", "6", "--steps", "4", "--out", output, "--models", "adatape,transformer");
        Assert.True(result.Code == 0, result.Error);
        foreach (var file in new[] { "report.md", "results.json", "accuracy-vs-time.png", "adatape/model.safetensors", "transformer/evals.csv" })
            Assert.True(File.Exists(Path.Combine(output, file)), $"{file} missing");
        var json = File.ReadAllText(Path.Combine(output, "results.json"));
        foreach (var field in new[] { "\"name\"", "\"kind\"", "\"task\": \"parity6\"", "\"params\"", "\"accuracy\"", "\"adaptive\"", "\"flopsMean\"", "\"flopsStd\"", "\"trainSeconds\"", "\"steps\"", "\"examplesSeen\"", "\"budgetCut\"" })
            Assert.Contains(field, json);
        var report = File.ReadAllText(Path.Combine(output, "report.md"));
        Assert.Contains("examples seen", report);
        Assert.Contains("cut by cap", report);
        var again = Run("parity", "--seq-len", "6", "--steps", "4", "--out", output, "--models", "adatape");
        Assert.Contains("reusing its result", again.Out);
    }

    [Fact]
    public void Parity_with_two_seeds_trains_each_in_its_own_folder_and_reports_the_means()
    {
        var output = Path.Combine(dir, "seeds");
        var result = Run("parity", "--seq-len", "6", "--steps", "1", "--out", output, "--models", "adatape", "--seed", "4,5");
        Assert.True(result.Code == 0, result.Error);
        foreach (var file in new[] { "report.md", "results.json", "seed-4/report.md", "seed-4/accuracy-vs-time.png", "seed-5/adatape/spec.json" })
            Assert.True(File.Exists(Path.Combine(output, file)), $"{file} missing");
        Assert.Contains("\"seed\": 5", File.ReadAllText(Path.Combine(output, "seed-5", "adatape", "spec.json")));
        Assert.Contains("mean over seeds 4, 5", File.ReadAllText(Path.Combine(output, "report.md")));
        Assert.Contains("| seed 4 | seed 5 | mean ± std |", result.Out);
    }
}
