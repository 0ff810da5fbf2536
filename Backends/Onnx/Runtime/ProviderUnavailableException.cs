using AdaTapeDml.Core.Validation;

namespace AdaTapeDml.Backends.Onnx.Runtime;

/// <summary>The requested execution provider is not in this ONNX Runtime native build; the message names it and lists
/// the available ones. The user's to fix (another provider, the DirectML build, or CPU fallback), so a <see cref="UserError"/>.</summary>
public sealed class ProviderUnavailableException(string message) : UserError(message);
