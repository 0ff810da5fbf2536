namespace AdaTapeDml.Backends.Onnx.Graph;

/// <summary>An emitted node breaks a DirectML rule (an operator outside <see cref="DirectMlOperators.Kernels"/>, an
/// unregistered type, a computed CPU-constant input, int64 indices): export fails with the one-line problem.</summary>
public sealed class UnsupportedOperatorException(string message) : Exception(message);
