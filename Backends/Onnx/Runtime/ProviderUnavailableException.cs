namespace AdaTapeDml.Backends.Onnx.Runtime;

/// <summary>The requested execution provider is not in this ONNX Runtime native build; the message names it and lists
/// the available ones.</summary>
public sealed class ProviderUnavailableException(string message) : NotSupportedException(message);
