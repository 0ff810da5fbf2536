using AdaTapeDml.Backends.Onnx.Runtime;
using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Specs;

namespace AdaTapeDml.Properties.Halting.Backends;

/// <summary>An ONNX Runtime (CPU) session compiled from the same random weights <see cref="TorchInferenceBackend"/> draws
/// for the spec and seed, saved as a trained model would be.</summary>
public sealed class OnnxInferenceBackend : IInferenceBackend
{
    public string Name => "onnx";

    public IInferenceSession Open(RunSpec spec, int seed, bool traceReads = false) =>
        TorchInferenceBackend.OpenRandom(spec, seed, path => new OnnxInferenceSession(path, traceReads: traceReads));
}
