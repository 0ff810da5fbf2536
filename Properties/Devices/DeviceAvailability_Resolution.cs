using AdaTapeDml.Backends.TorchSharp.Devices;
using AdaTapeDml.Core.Contracts;

namespace AdaTapeDml.Properties.Devices;

/// <summary>Every branch of device resolution on made-up machine facts (this machine has no GPU): cpu always works, auto
/// falls back to cpu, and CUDA that cannot be used is one line naming what is missing and how to get it.</summary>
public sealed class DeviceAvailability_Resolution
{
    private static readonly CudaFacts CpuBuild = new(false, "libtorch-cpu-linux-x64", "libtorch-cuda-12.8-linux-x64", false, 0);
    private static readonly CudaFacts CudaBuildNoGpu = new(true, "libtorch-cuda-12.8-linux-x64", "libtorch-cuda-12.8-linux-x64", false, 0);
    private static readonly CudaFacts CudaBuildTwoGpus = new(true, "libtorch-cuda-12.8-linux-x64", "libtorch-cuda-12.8-linux-x64", true, 2);

    private static ComputeDevice Ok(string requested, CudaFacts facts)
    {
        var (device, error) = DeviceAvailability.Resolve(ComputeDevice.Parse(requested), facts);
        Assert.Null(error);
        return device!;
    }

    private static string Error(string requested, CudaFacts facts)
    {
        var (device, error) = DeviceAvailability.Resolve(ComputeDevice.Parse(requested), facts);
        Assert.Null(device);
        Assert.DoesNotContain('\n', error!);
        return error!;
    }

    [Fact]
    public void Cpu_works_everywhere_and_auto_takes_the_first_usable_gpu()
    {
        foreach (var facts in new[] { CpuBuild, CudaBuildNoGpu, CudaBuildTwoGpus }) Assert.Equal(ComputeDevice.Cpu, Ok("cpu", facts));
        Assert.Equal(ComputeDevice.Cpu, Ok("auto", CpuBuild));
        Assert.Equal(ComputeDevice.Cpu, Ok("auto", CudaBuildNoGpu));
        Assert.Equal(ComputeDevice.Parse("cuda:0"), Ok("auto", CudaBuildTwoGpus));
        Assert.Equal(ComputeDevice.Parse("cuda:1"), Ok("cuda:1", CudaBuildTwoGpus));
        Assert.Equal(ComputeDevice.Parse("cuda:0"), Ok("cuda", CudaBuildTwoGpus));
    }

    [Fact]
    public void Cuda_on_the_cpu_flavour_names_the_package_and_the_build_switch()
    {
        var error = Error("cuda", CpuBuild);
        Assert.Contains("torch.cuda.is_available() is false", error);
        Assert.Contains("libtorch-cpu-linux-x64", error);
        Assert.Contains("-p:AdaTapeTorchFlavour=Cuda", error);
        Assert.Contains("libtorch-cuda-12.8-linux-x64", error);
        Assert.Equal(error, Error("cuda:5", CpuBuild));                 // the missing build is the first thing to fix
    }

    [Fact]
    public void Cuda_on_an_os_without_a_cuda_libtorch_says_so()
    {
        var error = Error("cuda", CpuBuild with { LibTorchPackage = "libtorch-cpu-osx-arm64", CudaPackage = "" });
        Assert.Contains("no CUDA build for this OS", error);
        Assert.DoesNotContain("AdaTapeTorchFlavour", error);
    }

    [Fact]
    public void Cuda_flavour_without_a_gpu_names_the_driver()
    {
        var error = Error("cuda:0", CudaBuildNoGpu);
        Assert.Contains("torch.cuda.is_available() is false", error);
        Assert.Contains("NVIDIA driver", error);
    }

    [Fact]
    public void An_index_beyond_the_device_count_lists_the_devices()
    {
        var error = Error("cuda:2", CudaBuildTwoGpus);
        Assert.Contains("cuda:2 does not exist", error);
        Assert.Contains("2 CUDA devices (cuda:0..cuda:1)", error);
    }

    [Fact]
    public void This_machine_is_the_cpu_flavour_without_cuda()
    {
        // What the build here stamped, and the real check: CUDA requests fail with the CPU-flavour message.
        Assert.False(TorchFlavour.IsCuda);
        Assert.StartsWith("libtorch-cpu-", TorchFlavour.LibTorchPackage);
        Assert.Equal(ComputeDevice.Cpu, TorchDevices.Check(ComputeDevice.Auto));
        var error = Assert.Throws<DeviceUnavailableException>(() => TorchDevices.Check(ComputeDevice.Parse("cuda:1")));
        Assert.Contains("-p:AdaTapeTorchFlavour=Cuda", error.Message);
        Assert.Equal(TorchSharp.DeviceType.CPU, TorchDevices.Resolve(ComputeDevice.Parse("auto")).type);
    }
}
