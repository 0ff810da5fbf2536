using AdaTapeDml.Core.Contracts;
using TorchSharp;
using static TorchSharp.torch;

namespace AdaTapeDml.Backends.TorchSharp.Devices;

/// <summary>A <see cref="ComputeDevice"/> as a TorchSharp device, checked against this build and machine.</summary>
public static class TorchDevices
{
    /// <summary>The concrete device (cpu or cuda:N) <paramref name="requested"/> resolves to here; null means cpu.</summary>
    /// <exception cref="DeviceUnavailableException">CUDA requested where this build or machine cannot use it.</exception>
    public static ComputeDevice Check(ComputeDevice? requested)
    {
        if (requested is null || requested.Kind == DeviceKind.Cpu) return ComputeDevice.Cpu;   // never touches CUDA
        var (device, error) = DeviceAvailability.Resolve(requested, Facts());
        return device ?? throw new DeviceUnavailableException(error!);
    }

    /// <summary>The TorchSharp device for <paramref name="requested"/> (checked as <see cref="Check"/> does).</summary>
    public static Device Resolve(ComputeDevice? requested) => Check(requested) switch
    {
        { Kind: DeviceKind.Cuda, Index: var index } => new Device(DeviceType.CUDA, index),
        _ => CPU,
    };

    /// <summary>What this build and libtorch report about CUDA.</summary>
    public static CudaFacts Facts()
    {
        var available = cuda.is_available();
        return new CudaFacts(TorchFlavour.IsCuda, TorchFlavour.LibTorchPackage, TorchFlavour.CudaPackage, available, available ? cuda.device_count() : 0);
    }
}
