using AdaTapeDml.Backends.Onnx.Runtime;
using AdaTapeDml.Backends.TorchSharp.Inference;
using AdaTapeDml.Pipelines.Inference;

namespace AdaTapeDml.Cli;

/// <summary>The inference backends this command-line tool ships, by the names `--backend` accepts.</summary>
public static class CliBackends
{
    /// <param name="context">Where backends report warnings (e.g. a CPU fallback).</param>
    public static InferenceBackends Create(CliContext context)
    {
        var warned = new HashSet<string>(StringComparer.Ordinal);                 // one line per warning, not per session
        return new InferenceBackends()
            .Add("torch", config => new TorchInferenceSession(config.WeightsPath, config.Tape))
            .Add("onnx", config =>
            {
                var session = new OnnxInferenceSession(config.WeightsPath, OnnxOptions.For(config.ExecutionProvider, config.DeviceId, config.FallbackToCpu), config.Tape);
                lock (warned)
                    foreach (var warning in session.Warnings.Where(warned.Add)) context.Error.WriteLine($"adatape: {warning}");
                return session;
            });
    }
}
