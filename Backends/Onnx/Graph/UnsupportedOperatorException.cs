namespace AdaTapeDml.Backends.Onnx.Graph;

/// <summary>An emitted node uses an operator outside <see cref="DirectMlOperators.Supported"/>: export fails, naming the op.</summary>
public sealed class UnsupportedOperatorException(string message) : Exception(message);
