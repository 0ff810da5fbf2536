namespace AdaTapeDml.Backends.Onnx.Runtime;

/// <summary>How ONNX Runtime sessions are created.</summary>
/// <param name="Provider">cpu | directml | cuda.</param>
/// <param name="DeviceId">GPU adapter index for directml / cuda. 0: the default adapter.</param>
/// <param name="FallbackToCpu">When the provider is missing from the native build, run on the CPU with a warning
/// instead of failing (`--fallback cpu`).</param>
/// <param name="IntraOpThreads">CPU threads per operator; 0 = ONNX Runtime's default (one per physical core).</param>
/// <param name="ProfilePrefix">When set, ONNX Runtime writes a per-operator profile (Chrome trace JSON) with this path
/// prefix when the session is disposed: how `bench infer --profile` explains where the time goes.</param>
public sealed record OnnxOptions(
    ExecutionProviderKind Provider = ExecutionProviderKind.Cpu,
    int DeviceId = 0,
    bool FallbackToCpu = false,
    int IntraOpThreads = 0,
    string? ProfilePrefix = null)
{
    /// <summary>Options from configuration strings (`--ep cpu|directml|cuda`); an unknown provider is an ArgumentException
    /// listing the allowed names.</summary>
    public static OnnxOptions For(string provider, int deviceId = 0, bool fallbackToCpu = false) => new(
        ExecutionProviderNames.Parse(provider) ?? throw new ArgumentException($"execution provider '{provider}' is unknown; allowed: cpu, directml, cuda"),
        deviceId,
        fallbackToCpu);
}
