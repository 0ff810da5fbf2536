using AdaTapeDml.Backends.Onnx.Runtime;
using AdaTapeDml.Cli;
using AdaTapeDml.Core.Checkpoints;
using AdaTapeDml.Core.Serialization;
using AdaTapeDml.Core.Validation;
using AdaTapeDml.Properties.Backends;

namespace AdaTapeDml.Properties.Cli;

/// <summary>Exit codes mean what they say: every user-caused failure is exit 2 with one line on stderr, chosen by the
/// exception's type (never by its message), and only internal errors are exit 1. Covers output folders that cannot
/// take the results and options that are checked even where the chosen backend would ignore them.</summary>
public sealed class Cli_ExitCodes(TinyTrainedRun trained) : IClassFixture<TinyTrainedRun>, IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("adatape-exit-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string WriteFile(string name, string text = "not a folder")
    {
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void The_exit_code_follows_the_exception_type_not_its_message()
    {
        Assert.Equal((ExitCodes.BadInput, "--x 3: must be >= 4"), AdaTapeCli.Describe(new UserError("--x 3:\n must be >= 4")));
        Assert.Equal(ExitCodes.BadInput, AdaTapeCli.Describe(new CheckpointException("weight file w: truncated")).Code);
        Assert.Equal(ExitCodes.BadInput, AdaTapeCli.Describe(new AggregateException(new UserError("bad"))).Code);
        Assert.Equal(ExitCodes.BadInput, AdaTapeCli.Describe(new InvalidDataException("x.gz is not valid gzip")).Code);
        // A message that looks like bad input does not make a bug the user's fault.
        var (code, line) = AdaTapeCli.Describe(new ArgumentException("compute knob: actEpsilon"));
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Equal("internal error: ArgumentException: compute knob: actEpsilon", line);
        Assert.Equal((ExitCodes.Failure, "internal error: NullReferenceException: a b"), AdaTapeCli.Describe(new NullReferenceException("a\r\nb")));
    }

    [Fact]
    public void An_out_that_is_an_existing_file_is_refused_by_every_command_that_writes_a_folder()
    {
        var spec = WriteFile("spec.json", RunSpecJson.Serialize(TinySpecs.AdaTapeParity(steps: 2)));
        var file = WriteFile("taken");
        CliRun.AssertOneLineError(CliRun.Invoke("train", "--spec", spec, "--out", file), $"--out {file}: is an existing file; give a folder");
        CliRun.AssertOneLineError(CliRun.Invoke("parity", "--seq-len", "6", "--steps", "2", "--models", "adatape", "--out", file), $"--out {file}: is an existing file");
        CliRun.AssertOneLineError(CliRun.Invoke("knob", "--run", trained.Run, "--act-epsilon", "1", "--out", file), $"--out {file}: is an existing file");
        CliRun.AssertOneLineError(CliRun.Invoke("export", "onnx", "--run", trained.Run, "--out", file), $"--out {file}: is an existing file");
        Assert.Equal("not a folder", File.ReadAllText(file));
    }

    /// <summary>Tests run as root, where permissions do not stop writes; a folder under a regular file cannot be created
    /// by anyone, which is the same failure a read-only parent gives an ordinary user.</summary>
    [Fact]
    public void An_out_that_cannot_be_created_is_refused_before_any_work()
    {
        var spec = WriteFile("spec.json", RunSpecJson.Serialize(TinySpecs.AdaTapeParity(steps: 2)));
        var blocked = Path.Combine(WriteFile("plain"), "run");
        CliRun.AssertOneLineError(CliRun.Invoke("train", "--spec", spec, "--out", blocked), $"--out {blocked}: cannot create or write this folder");
        CliRun.AssertOneLineError(CliRun.Invoke("parity", "--seq-len", "6", "--steps", "2", "--models", "adatape", "--out", blocked), $"--out {blocked}: cannot create or write");
        CliRun.AssertOneLineError(CliRun.Invoke("knob", "--run", trained.Run, "--act-epsilon", "1", "--out", blocked), $"--out {blocked}: cannot create or write");
        CliRun.AssertOneLineError(CliRun.Invoke("export", "onnx", "--run", trained.Run, "--out", blocked), $"--out {blocked}: cannot create or write");
        CliRun.AssertOneLineError(CliRun.Invoke("bench", "infer", "--run", trained.Run, "--profile", Path.Combine(blocked, "trace")), $"--profile's folder {blocked}: cannot create or write");
    }

    [Theory]
    [InlineData("--device-id=-1", "--device-id -1: must be >= 0")]                 // torch ignores the device, but -1 is still wrong
    [InlineData("--device-id=-1 --backend=onnx", "--device-id -1: must be >= 0")]
    [InlineData("--parity-samples=0", "--parity-samples 0: allowed 1..50")]
    [InlineData("--parity-samples=-3", "--parity-samples -3: allowed 1..50")]
    [InlineData("--max-tape=-1", "numTapeTokens")]
    [InlineData("--max-tape=0", "numTapeTokens")]
    [InlineData("--act-epsilon=NaN", "actEpsilon")]
    [InlineData("--act-epsilon=-0.5", "actEpsilon")]
    [InlineData("--batch=0", "--batch must be >= 1")]
    public void Infer_checks_every_option_whichever_backend_runs(string options, string expected)
    {
        string[] args = ["infer", "--run", trained.Run, .. options.Split(' ').SelectMany(o => o.Split('='))];
        if (!options.Contains("--parity-samples", StringComparison.Ordinal)) args = [.. args, "--parity-samples", "4"];
        CliRun.AssertOneLineError(CliRun.Invoke(args), expected);
    }

    [Fact]
    public void An_execution_provider_this_build_lacks_is_bad_input_naming_it()
    {
        // The CPU build has neither GPU provider and a GPU build has one of them: ask for one it lacks.
        var kind = new[] { ExecutionProviderKind.DirectMl, ExecutionProviderKind.Cuda }.First(k => !SessionOptionsFactory.Available().Contains(ExecutionProviderNames.Ort(k)));
        var name = ExecutionProviderNames.Config(kind);
        CliRun.AssertOneLineError(CliRun.Invoke("infer", "--run", trained.Run, "--backend", "onnx", "--ep", name, "--parity-samples", "3"),
            $"--backend onnx: execution provider '{name}' ({ExecutionProviderNames.Ort(kind)}) is not in this ONNX Runtime build");
    }

    [Theory]
    [InlineData("knob --act-epsilon NaN", "--act-epsilon: 'NaN' is not a number > 0")]
    [InlineData("knob --act-epsilon 0", "--act-epsilon: '0' is not a number > 0")]
    [InlineData("knob --knob speed", "--knob speed: allowed: act-epsilon-hold-k, act-epsilon")]
    [InlineData("bench infer --seconds NaN", "--seconds > 0")]
    [InlineData("bench infer --batch 0", "--batch and --samples must be >= 1")]
    [InlineData("bench infer --torch-threads -1", "--torch-threads must lie in 0..256")]
    [InlineData("bench elastic --batch 0", "--group-width must be >= 1")]
    [InlineData("bench elastic --load -1", "--load >= 0")]
    public void Knob_and_bench_check_counts_and_thresholds(string command, string expected)
    {
        var words = command.Split(' ');
        var verb = words[0] == "bench" ? 2 : 1;
        CliRun.AssertOneLineError(CliRun.Invoke([.. words[..verb], "--run", trained.Run, .. words[verb..]]), expected);
    }

    [Theory]
    [InlineData("train", "NaN")]
    [InlineData("train", "Infinity")]
    [InlineData("train", "-1")]
    [InlineData("parity", "NaN")]
    [InlineData("parity", "-5")]
    public void A_budget_that_is_not_a_finite_positive_time_is_refused(string command, string minutes)
    {
        var spec = WriteFile("spec.json", RunSpecJson.Serialize(TinySpecs.AdaTapeParity(steps: 2)));
        string[] args = command == "train"
            ? ["train", "--spec", spec, "--out", Path.Combine(dir, "run"), "--budget-minutes", minutes]
            : ["parity", "--seq-len", "6", "--steps", "2", "--models", "adatape", "--out", Path.Combine(dir, "parity"), "--budget-minutes", minutes];
        CliRun.AssertOneLineError(CliRun.Invoke(args), $"--budget-minutes = {minutes}: must be a finite number of minutes > 0");
        Assert.False(Directory.Exists(Path.Combine(dir, command == "train" ? "run" : "parity")));   // refused before anything was made
    }

    [Theory]
    [InlineData("--seq-len", "0", "--seq-len 0")]
    [InlineData("--steps", "0", "--steps = 0: must be >= 1")]
    [InlineData("--batch", "-2", "--batch = -2: must be >= 1")]
    public void Bench_train_checks_its_options_before_measuring_anything(string option, string value, string expected)
    {
        var result = CliRun.Invoke("bench", "train", "--models", "adatape", option, value);
        CliRun.AssertOneLineError(result, expected);
        Assert.Empty(result.OutLines);                                                   // nothing was measured
    }
}
