using AdaTapeDml.Core.Validation;

namespace AdaTapeDml.Backends.TorchSharp.Devices;

/// <summary>A device that this build or machine cannot use (CUDA on the CPU flavour, no GPU, an index beyond the count);
/// the message is one line that names what is missing and how to get it.</summary>
public sealed class DeviceUnavailableException(string message) : UserError(message);
