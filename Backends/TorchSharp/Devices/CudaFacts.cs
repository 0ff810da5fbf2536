namespace AdaTapeDml.Backends.TorchSharp.Devices;

/// <summary>What decides whether a CUDA device can be used: the build flavour and what libtorch reports.</summary>
/// <param name="BuiltWithCuda">The Cuda flavour was built (<see cref="TorchFlavour.IsCuda"/>).</param>
/// <param name="LibTorchPackage">The libtorch package of the build.</param>
/// <param name="CudaPackage">The CUDA libtorch package of this OS, to name in the error ("" where none exists).</param>
/// <param name="IsAvailable">torch.cuda.is_available().</param>
/// <param name="DeviceCount">torch.cuda.device_count() (0 when unavailable).</param>
public sealed record CudaFacts(bool BuiltWithCuda, string LibTorchPackage, string CudaPackage, bool IsAvailable, int DeviceCount);
