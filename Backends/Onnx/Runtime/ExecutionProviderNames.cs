namespace AdaTapeDml.Backends.Onnx.Runtime;

/// <summary>Names of the providers as configuration spells them and as ONNX Runtime reports them.</summary>
public static class ExecutionProviderNames
{
    /// <summary>cpu | directml | cuda, or null for anything else.</summary>
    public static ExecutionProviderKind? Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "cpu" => ExecutionProviderKind.Cpu,
        "directml" or "dml" => ExecutionProviderKind.DirectMl,
        "cuda" => ExecutionProviderKind.Cuda,
        _ => null,
    };

    /// <summary>The configuration name: cpu, directml, cuda.</summary>
    public static string Config(ExecutionProviderKind kind) => kind switch
    {
        ExecutionProviderKind.Cpu => "cpu",
        ExecutionProviderKind.DirectMl => "directml",
        _ => "cuda",
    };

    /// <summary>The name in OrtEnv.GetAvailableProviders().</summary>
    public static string Ort(ExecutionProviderKind kind) => kind switch
    {
        ExecutionProviderKind.Cpu => "CPUExecutionProvider",
        ExecutionProviderKind.DirectMl => "DmlExecutionProvider",
        _ => "CUDAExecutionProvider",
    };
}
