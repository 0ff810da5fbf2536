using AdaTapeDml.Core.Serialization;
using AdaTapeDml.Properties.Backends;
using AdaTapeDml.Properties.Cli;

namespace AdaTapeDml.Properties.Devices;

/// <summary>`--device` on every command that runs TorchSharp: bad strings and CUDA on this CPU-only build are one line
/// with exit code 2 before any work starts; `auto` trains here on the CPU; the device never reaches spec.json, so a run
/// resumes on another device.</summary>
public sealed class Cli_Device : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("adatape-cli-device-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string Spec(int steps)
    {
        var path = Path.Combine(dir, "spec.json");
        File.WriteAllText(path, RunSpecJson.Serialize(TinySpecs.AdaTapeParity(steps: steps)));
        return path;
    }

    [Fact]
    public void Auto_trains_here_and_the_run_resumes_on_an_explicit_cpu_with_no_device_in_the_spec()
    {
        var run = Path.Combine(dir, "run");
        var spec = Spec(steps: 4);
        var first = CliRun.Invoke("train", "--spec", spec, "--out", run, "--device", "auto");
        Assert.True(first.Code == 0, first.Error);
        Assert.DoesNotContain("device", File.ReadAllText(Path.Combine(run, "spec.json")), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(TinySpecs.AdaTapeParity(steps: 4), AdaTapeDml.Pipelines.Specs.RunSpecFile.Load(Path.Combine(run, "spec.json")).Value);
        var eval = CliRun.Invoke("eval", "--run", run, "--device", "cpu");
        Assert.True(eval.Code == 0, eval.Error);
        Assert.Contains("at step 4", eval.Out);
    }

    [Theory]
    [InlineData("train")]
    [InlineData("eval")]
    [InlineData("infer")]
    [InlineData("parity")]
    [InlineData("bench")]
    public void Cuda_on_this_cpu_build_is_one_line_naming_what_is_missing(string command)
    {
        var run = Path.Combine(dir, "run");
        Directory.CreateDirectory(run);
        File.WriteAllBytes(Path.Combine(run, "model.safetensors"), [0]);       // never read: the device is checked first
        string[] args = command switch
        {
            "train" => ["train", "--spec", Spec(steps: 2), "--out", run],
            "eval" => ["eval", "--run", run],
            "infer" => ["infer", "--run", run, "--backend", "torch", "--parity-samples", "3"],
            "parity" => ["parity", "--out", run, "--steps", "1"],
            _ => ["bench", "train", "--steps", "1"],
        };
        foreach (var device in new[] { "cuda", "cuda:3" })
        {
            var result = CliRun.Invoke([.. args, "--device", device]);
            CliRun.AssertOneLineError(result, $"--device {device}: CUDA is not available");
            Assert.Contains("torch.cuda.is_available() is false", result.Error);
            Assert.Contains("-p:AdaTapeTorchFlavour=Cuda", result.Error);
        }
        CliRun.AssertOneLineError(CliRun.Invoke([.. args, "--device", "gpu"]), "--device gpu: device 'gpu' is not one of cpu, cuda, cuda:N");
        Assert.False(File.Exists(Path.Combine(run, "checkpoint.safetensors")));
    }

    [Fact]
    public void Onnx_inference_points_a_device_to_its_execution_provider_options()
    {
        var run = Path.Combine(dir, "run");
        Directory.CreateDirectory(run);
        File.WriteAllBytes(Path.Combine(run, "model.safetensors"), [0]);
        CliRun.AssertOneLineError(CliRun.Invoke("infer", "--run", run, "--backend", "onnx", "--parity-samples", "3", "--device", "cuda"),
            "ONNX Runtime's device is chosen by --ep and --device-id");
    }
}
