using AdaTapeDml.Core.Checkpoints;
using AdaTapeDml.Core.Serialization;
using AdaTapeDml.Properties.Backends;

namespace AdaTapeDml.Properties.Cli;

/// <summary>A run folder that is damaged, or resumed with another spec, is a one-line error (exit 2) naming the file and
/// what is wrong: never a parse exception, never a run silently continued under a schedule its spec.json does not
/// record, never a checkpoint read as step 0.</summary>
public sealed class Cli_RunFolders(TinyTrainedRun trained) : IClassFixture<TinyTrainedRun>, IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("adatape-runs-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string WriteSpec(int steps)
    {
        var path = Path.Combine(dir, $"spec{steps}-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, RunSpecJson.Serialize(TinySpecs.AdaTapeParity(steps: steps)));
        return path;
    }

    /// <summary>A copy of a finished tiny run (6 steps) that this test may damage.</summary>
    private string CopyOfTinyRun()
    {
        var run = Path.Combine(dir, $"run-{Guid.NewGuid():N}");
        Directory.CreateDirectory(run);
        foreach (var file in Directory.EnumerateFiles(trained.Run)) File.Copy(file, Path.Combine(run, Path.GetFileName(file)));
        Assert.Equal(0, CliRun.Invoke("eval", "--run", run).Code);                       // the copy is a working run
        return run;
    }

    [Fact]
    public void Train_resume_refuses_a_spec_whose_steps_changed()
    {
        var run = CopyOfTinyRun();
        CliRun.AssertOneLineError(CliRun.Invoke("train", "--resume", "--out", run, "--spec", WriteSpec(9)), "training.steps: 6 -> 9");

        // Editing the run's own spec.json does not get past the checkpoint: it records the spec it was trained with.
        File.WriteAllText(Path.Combine(run, "spec.json"), RunSpecJson.Serialize(TinySpecs.AdaTapeParity(steps: 9)));
        var result = CliRun.Invoke("train", "--resume", "--out", run);
        CliRun.AssertOneLineError(result, "training.steps: 6 -> 9");
        Assert.Contains("checkpoint.safetensors", result.Error);
        Assert.Equal(7, File.ReadAllLines(Path.Combine(run, "metrics.csv")).Length);   // untouched: header + 6 steps
    }

    [Theory]
    [InlineData("metrics.csv", 3, "3,0.5,0.69,0.69,0")]                          // a row cut short
    [InlineData("metrics.csv", 4, "4,zero,0.69,0.69,0,0.5,2,0,0.001")]           // a field that is not a number
    [InlineData("evals.csv", 2, "five,0.5,0.5,0.69,2,0,50")]                     // a step that is not a whole number
    [InlineData("evals.csv", 1, "step;elapsed;accuracy")]                         // another header
    public void Train_resume_refuses_a_damaged_metrics_csv_naming_file_and_line(string file, int line, string text)
    {
        var run = CopyOfTinyRun();
        var path = Path.Combine(run, file);
        var lines = File.ReadAllLines(path);
        lines[line - 1] = text;
        File.WriteAllLines(path, lines);
        CliRun.AssertOneLineError(CliRun.Invoke("train", "--resume", "--out", run), $"{path} line {line}:");
        Assert.Equal(lines, File.ReadAllLines(path));                                  // left as it was for the user to repair
    }

    [Theory]
    [InlineData(null)]
    [InlineData("6.5")]
    public void A_checkpoint_without_its_step_is_refused_naming_the_file(string? step)
    {
        var run = CopyOfTinyRun();
        foreach (var name in new[] { "checkpoint.safetensors", "model.safetensors" })
        {
            var path = Path.Combine(run, name);
            var file = CheckpointFile.Read(path);
            var metadata = file.Metadata.Where(m => m.Key != CheckpointKeys.Step).ToDictionary();
            if (step is not null) metadata[CheckpointKeys.Step] = step;
            File.WriteAllBytes(path, SafeTensors.Encode(file.Tensors, metadata));
        }
        CliRun.AssertOneLineError(CliRun.Invoke("train", "--resume", "--out", run), $"weight file {Path.Combine(run, "checkpoint.safetensors")}");
        CliRun.AssertOneLineError(CliRun.Invoke("eval", "--run", run), $"weight file {Path.Combine(run, "model.safetensors")}");
        CliRun.AssertOneLineError(CliRun.Invoke("infer", "--run", run, "--parity-samples", "3"), CheckpointKeys.Step);
    }

    [Fact]
    public void Eval_and_infer_refuse_a_corrupt_spec_json()
    {
        var run = CopyOfTinyRun();
        File.WriteAllText(Path.Combine(run, "spec.json"), "{\"name\": \"tiny\", \"model\": ");
        CliRun.AssertOneLineError(CliRun.Invoke("eval", "--run", run), $"--run {run}");
        CliRun.AssertOneLineError(CliRun.Invoke("infer", "--run", run, "--parity-samples", "3"), "invalid spec.json");
    }

    [Fact]
    public void Parity_refuses_other_steps_and_damaged_results_and_writes_its_plot_atomically()
    {
        var output = Path.Combine(dir, "parity");
        string[] Parity(string steps) => ["parity", "--seq-len", "6", "--steps", steps, "--out", output, "--models", "adatape"];
        var first = CliRun.Invoke(Parity("2"));
        Assert.True(first.Code == 0, first.Error);
        var plot = File.ReadAllBytes(Path.Combine(output, "accuracy-vs-time.png"));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], plot[..4]);
        Assert.Empty(Directory.EnumerateFiles(output, "*tmp*", SearchOption.AllDirectories));

        // Another --steps (given, or the default) would train under another schedule than spec.json records: refused.
        var spec = File.ReadAllText(Path.Combine(output, "adatape", "spec.json"));
        CliRun.AssertOneLineError(CliRun.Invoke(Parity("3")), "training.steps: 2 -> 3");
        Assert.Contains("rerun with the --steps, --seq-len and --seed it was started with", CliRun.Invoke(Parity("3")).Error);
        CliRun.AssertOneLineError(CliRun.Invoke(Parity("1")), "training.steps: 2 -> 1");      // not a reuse of the 2-step result
        CliRun.AssertOneLineError(CliRun.Invoke(["parity", "--seq-len", "6", "--out", output, "--models", "adatape"]), "training.steps: 2 -> 4000");
        Assert.Equal(spec, File.ReadAllText(Path.Combine(output, "adatape", "spec.json")));

        var result = Path.Combine(output, "adatape", "result.json");
        var good = File.ReadAllText(result);
        File.WriteAllText(result, good[..(good.Length / 2)]);
        CliRun.AssertOneLineError(CliRun.Invoke(Parity("2")), $"{result}: not valid result JSON");
        File.WriteAllText(result, "null");
        CliRun.AssertOneLineError(CliRun.Invoke(Parity("2")), $"{result}: not a model result");
        File.WriteAllText(result, good);

        var evals = Path.Combine(output, "adatape", "evals.csv");
        var rows = File.ReadAllLines(evals);
        File.WriteAllLines(evals, [.. rows[..^1], "2,0.5"]);
        CliRun.AssertOneLineError(CliRun.Invoke(Parity("2")), $"{evals} line {rows.Length}:");
        File.WriteAllLines(evals, rows);

        var again = CliRun.Invoke(Parity("2"));
        Assert.True(again.Code == 0, again.Error);
        Assert.Contains("reusing its result", again.Out);
        Assert.Empty(Directory.EnumerateFiles(output, "*tmp*", SearchOption.AllDirectories));
    }
}
