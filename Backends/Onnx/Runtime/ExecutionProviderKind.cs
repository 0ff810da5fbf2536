namespace AdaTapeDml.Backends.Onnx.Runtime;

/// <summary>Where ONNX Runtime executes the graphs.</summary>
public enum ExecutionProviderKind
{
    /// <summary>ONNX Runtime's CPU provider: every build has it.</summary>
    Cpu,
    /// <summary>DirectML on any Windows GPU (needs the Microsoft.ML.OnnxRuntime.DirectML native build).</summary>
    DirectMl,
    /// <summary>CUDA on NVIDIA GPUs (needs a CUDA build of ONNX Runtime).</summary>
    Cuda,
}
