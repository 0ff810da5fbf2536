using System.Diagnostics.Contracts;
using AdaTapeDml.Core.Contracts;

namespace AdaTapeDml.Backends.TorchSharp.Devices;

/// <summary>The concrete device a request resolves to, or a one-line reason it cannot be used that names what is missing
/// and how to get it. Pure, so every branch is tested on a machine without a GPU.</summary>
public static class DeviceAvailability
{
    /// <returns>cpu or cuda:N, or null and the reason.</returns>
    [Pure]
    public static (ComputeDevice? Device, string? Error) Resolve(ComputeDevice requested, CudaFacts facts)
    {
        var usable = facts.BuiltWithCuda && facts.IsAvailable && facts.DeviceCount > 0;
        switch (requested.Kind)
        {
            case DeviceKind.Cpu:
                return (ComputeDevice.Cpu, null);
            case DeviceKind.Auto:
                return (usable ? new ComputeDevice(DeviceKind.Cuda, 0) : ComputeDevice.Cpu, null);
        }
        if (!facts.BuiltWithCuda)
            return (null, facts.CudaPackage.Length == 0
                ? $"CUDA is not available: this build references the CPU libtorch ({facts.LibTorchPackage}) and libtorch has no CUDA build for this OS; use cpu"
                : $"CUDA is not available: this build references the CPU libtorch ({facts.LibTorchPackage}), so torch.cuda.is_available() is false; " +
                  $"rebuild with -p:AdaTapeTorchFlavour=Cuda (references {facts.CudaPackage} from nuget.org; needs an NVIDIA GPU and driver) or use cpu");
        if (!facts.IsAvailable || facts.DeviceCount == 0)
            return (null, $"CUDA is not available: torch.cuda.is_available() is false: {facts.LibTorchPackage} finds no NVIDIA GPU or no driver for its CUDA version; install the NVIDIA driver or use cpu");
        if (requested.Index >= facts.DeviceCount)
            return (null, $"{requested} does not exist: this machine has {facts.DeviceCount} CUDA device{(facts.DeviceCount == 1 ? "" : "s")} (cuda:0..cuda:{facts.DeviceCount - 1})");
        return (requested, null);
    }
}
