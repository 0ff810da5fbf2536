namespace AdaTapeDml.Backends.Onnx.Runtime;

/// <summary>How ONNX Runtime sessions are created.</summary>
/// <param name="Provider">cpu | directml | cuda.</param>
/// <param name="DeviceId">GPU adapter index for directml / cuda. 0: the default adapter.</param>
/// <param name="FallbackToCpu">When the provider is missing from the native build, run on the CPU with a warning
/// instead of failing (`--fallback cpu`).</param>
/// <param name="IntraOpThreads">CPU threads per operator; 0 = ONNX Runtime's default (one per physical core).</param>
/// <param name="ProfilePrefix">When set, ONNX Runtime writes a per-operator profile (Chrome trace JSON) with this path
/// prefix when the session is disposed: how `bench infer --profile` explains where the time goes.</param>
/// <param name="PinPackedShapes">Packed ENCODE runs on sessions whose every free dimension is pinned at creation: tape
/// rows rounded up to <see cref="PackedTapeRowBucket"/>, the attention length fixed at n + T, one session per (batch,
/// tape-row bucket); padded ENCODE runs on one session per tape length (else one session serves every length). Null: on
/// for DirectML (it wants every shape known when a session is created), off elsewhere.</param>
/// <param name="IntraOpSpinning">Whether a session's intra-op threads spin after each Run waiting for more work (ONNX
/// Runtime's default). Off by default: an AdaTape session runs READ and ENCODE on two or three ONNX Runtime sessions in
/// turn, each with its own thread pool, and the idle pool's spinning threads took the cores from the working one
/// (measured on 2 cores, parity model, batch 256: padded 2194 against 4079 samples/s, elastic 4481 against 7728).</param>
public sealed record OnnxOptions(
    ExecutionProviderKind Provider = ExecutionProviderKind.Cpu,
    int DeviceId = 0,
    bool FallbackToCpu = false,
    int IntraOpThreads = 0,
    string? ProfilePrefix = null,
    bool? PinPackedShapes = null,
    bool IntraOpSpinning = false)
{
    /// <summary>Packed tape rows are a multiple of this when shapes are pinned: 64 rows keep the sessions few (at most
    /// B·T / 64 + 1 per batch size) and waste at most 63 rows of per-token work per call.</summary>
    public const int PackedTapeRowBucket = 64;

    /// <summary>Whether packed ENCODE pins its shapes with the resolved provider.</summary>
    public bool PinsPackedShapes(ExecutionProviderKind resolved) => PinPackedShapes ?? resolved == ExecutionProviderKind.DirectMl;

    /// <summary>Options from configuration strings (`--ep cpu|directml|cuda`); an unknown provider is an ArgumentException
    /// listing the allowed names.</summary>
    public static OnnxOptions For(string provider, int deviceId = 0, bool fallbackToCpu = false) => new(
        ExecutionProviderNames.Parse(provider) ?? throw new ArgumentException($"execution provider '{provider}' is unknown; allowed: cpu, directml, cuda"),
        deviceId,
        fallbackToCpu);
}
