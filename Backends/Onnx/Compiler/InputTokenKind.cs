namespace AdaTapeDml.Backends.Onnx.Compiler;

/// <summary>How inputs become tokens, as the TorchSharp InputEmbedding: the whole parity sequence as one token (AdaTape
/// parity), one token per element (baselines on parity), or image patches.</summary>
public enum InputTokenKind
{
    WholeSequence,
    PerElement,
    Patches,
}
