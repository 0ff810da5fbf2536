using AdaTapeDml.Core.Contracts;

namespace AdaTapeDml.Pipelines.Inference;

/// <summary>What an app configures per deployment: which trained run, which backend, and pipeline options.</summary>
/// <param name="WeightsPath">The run's weights (model.safetensors from `adatape train` or `adatape parity`).</param>
/// <param name="Backend">A backend name registered in <see cref="InferenceBackends"/> (e.g. "torch", "onnx").</param>
/// <param name="ExecutionProvider">For ONNX Runtime: cpu, directml or cuda.</param>
/// <param name="DeviceId">GPU index for directml / cuda.</param>
/// <param name="Pipeline">Batching, grouping, sessions, in-flight bound, ordering.</param>
/// <param name="Tape">The inference-time compute knob (actEpsilon, maximum tape); null reads as trained.</param>
/// <param name="FallbackToCpu">When the execution provider is absent, run on the CPU with a warning instead of failing.</param>
/// <param name="Device">For TorchSharp: cpu, cuda, cuda:N or auto (<see cref="ComputeDevice"/>).</param>
/// <param name="Trace">Each prediction carries its READ trace (bank indices and weights per ATR step); off by default, when
/// the sessions neither compute nor copy it. AdaTape models only.</param>
/// <param name="Halting">The compute knob of Universal Transformers (halting threshold) and A-ViT (gate centre); null runs
/// as trained.</param>
public sealed record InferenceConfig(string WeightsPath, string Backend = "torch", string ExecutionProvider = "cpu", int DeviceId = 0,
    ElasticOptions? Pipeline = null, TapeOverride? Tape = null, bool FallbackToCpu = false, string Device = "cpu", bool Trace = false,
    HaltingOverride? Halting = null)
{
    public ElasticOptions Options => Pipeline ?? new ElasticOptions();
}
