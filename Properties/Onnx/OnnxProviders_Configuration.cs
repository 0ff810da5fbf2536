using AdaTapeDml.Backends.Onnx.Runtime;
using Microsoft.ML.OnnxRuntime;

namespace AdaTapeDml.Properties.Onnx;

/// <summary>Execution providers: DirectML sessions are configured as DirectML requires; a provider this native build
/// lacks (DirectML and CUDA here) gives one clear error listing the available ones, or the CPU with a warning when
/// fallback is allowed.</summary>
public sealed class OnnxProviders_Configuration : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("adatape-onnx-ep-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void DirectML_options_turn_memory_pattern_off_and_execute_sequentially()
    {
        using var dml = SessionOptionsFactory.Configure(ExecutionProviderKind.DirectMl, new OnnxOptions(ExecutionProviderKind.DirectMl, DeviceId: 1));
        Assert.False(dml.EnableMemoryPattern);
        Assert.Equal(ExecutionMode.ORT_SEQUENTIAL, dml.ExecutionMode);
        using var cpu = SessionOptionsFactory.Configure(ExecutionProviderKind.Cpu, new OnnxOptions());
        Assert.True(cpu.EnableMemoryPattern);                                              // the CPU keeps ORT's defaults
    }

    [Fact]
    public void Intra_op_threads_do_not_spin_unless_asked()
    {
        Assert.Equal("0", SessionOptionsFactory.ConfigEntries(new OnnxOptions())["session.intra_op.allow_spinning"]);
        Assert.Empty(SessionOptionsFactory.ConfigEntries(new OnnxOptions(IntraOpSpinning: true)));
        using var configured = SessionOptionsFactory.Configure(ExecutionProviderKind.Cpu, new OnnxOptions());   // ORT accepts the entry
        Assert.NotNull(configured);
    }

    [Theory]
    [InlineData(ExecutionProviderKind.DirectMl, "directml")]
    [InlineData(ExecutionProviderKind.Cuda, "cuda")]
    public void A_provider_missing_from_this_build_is_a_clear_error_listing_the_available_ones(ExecutionProviderKind kind, string configName)
    {
        Assert.DoesNotContain(ExecutionProviderNames.Ort(kind), SessionOptionsFactory.Available());   // this machine: CPU build
        var path = OnnxTestModels.SaveRandom(OnnxTestModels.Specs["adatape-learnable"], Path.Combine(dir, "m.safetensors"), 1);
        var error = Assert.Throws<ProviderUnavailableException>(() => new OnnxInferenceSession(path, new OnnxOptions(kind)));
        Assert.Contains($"'{configName}'", error.Message);
        Assert.Contains("available: CPUExecutionProvider", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Fallback_runs_on_the_cpu_with_a_warning()
    {
        var spec = OnnxTestModels.Specs["adatape-learnable"];
        var path = OnnxTestModels.SaveRandom(spec, Path.Combine(dir, "m.safetensors"), 1);
        using var session = new OnnxInferenceSession(path, new OnnxOptions(ExecutionProviderKind.DirectMl, FallbackToCpu: true));
        Assert.Equal("onnx-cpu", session.Backend);
        Assert.Contains(session.Warnings, w => w.Contains("directml") && w.Contains("falling back to cpu"));
        var (logits, lengths) = session.Run(OnnxTestModels.Inputs(spec, 2, 1), 2);
        Assert.Equal(2 * spec.Task.NumClasses, logits.Length);
        Assert.All(lengths, l => Assert.InRange(l, 2, 4));
    }

    [Fact]
    public void Provider_names_parse_from_configuration()
    {
        Assert.Equal(ExecutionProviderKind.DirectMl, ExecutionProviderNames.Parse("DirectML"));
        Assert.Equal(ExecutionProviderKind.Cpu, ExecutionProviderNames.Parse("cpu"));
        Assert.Null(ExecutionProviderNames.Parse("tpu"));
    }
}
