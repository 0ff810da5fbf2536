using AdaTapeDml.Backends.TorchSharp.Inference;
using AdaTapeDml.Pipelines.Inference;

namespace AdaTapeDml.Cli;

/// <summary>The inference backends this command-line tool ships, by the names `--backend` accepts.</summary>
public static class CliBackends
{
    /// <param name="context">Where backends report warnings (e.g. a CPU fallback).</param>
    public static InferenceBackends Create(CliContext context) => new InferenceBackends()
        .Add("torch", config => new TorchInferenceSession(config.WeightsPath, config.Tape));
}
