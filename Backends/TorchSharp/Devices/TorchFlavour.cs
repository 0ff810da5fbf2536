using System.Reflection;

namespace AdaTapeDml.Backends.TorchSharp.Devices;

/// <summary>Which libtorch this build of the backend references: build/TorchSharpFlavour.props stamps the flavour and the
/// package names into the assembly, so a CPU build can name the package that would give it CUDA.</summary>
public static class TorchFlavour
{
    /// <summary>Cpu or Cuda (`-p:AdaTapeTorchFlavour=...`).</summary>
    public static string Name { get; } = Metadata("AdaTapeTorchFlavour") ?? "Cpu";

    /// <summary>The libtorch package this build references, e.g. libtorch-cpu-linux-x64.</summary>
    public static string LibTorchPackage { get; } = Metadata("AdaTapeLibTorchPackage") ?? "libtorch-cpu";

    /// <summary>The CUDA libtorch package of this OS (empty where there is none, e.g. macOS).</summary>
    public static string CudaPackage { get; } = Metadata("AdaTapeLibTorchCudaPackage") ?? "";

    public static bool IsCuda => Name.Equals("Cuda", StringComparison.OrdinalIgnoreCase);

    private static string? Metadata(string key) =>
        typeof(TorchFlavour).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value is { Length: > 0 } value ? value : null;
}
