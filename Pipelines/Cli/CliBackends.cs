using AdaTapeDml.Backends.Onnx.Runtime;
using AdaTapeDml.Backends.TorchSharp.Inference;
using AdaTapeDml.Pipelines.Inference;
using AdaTapeDml.Core.Contracts;

namespace AdaTapeDml.Cli;

/// <summary>The inference backends this command-line tool ships, by the names `--backend` accepts.</summary>
public static class CliBackends
{
    /// <param name="context">Where backends report warnings (e.g. a CPU fallback).</param>
    public static InferenceBackends Create(CliContext context)
    {
        var warned = new HashSet<string>(StringComparer.Ordinal);                 // one line per warning, not per session
        return new InferenceBackends()
            .Add("torch", config => new TorchInferenceSession(config.WeightsPath, config.Tape, ComputeDevice.Parse(config.Device), config.Halting, config.Trace))
            .Add("onnx", config =>
            {
                var session = new OnnxInferenceSession(config.WeightsPath, OnnxOptions.For(config.ExecutionProvider, config.DeviceId, config.FallbackToCpu), config.Tape, config.Halting, config.Trace);
                lock (warned)
                    foreach (var warning in session.Warnings.Where(warned.Add)) context.Error.WriteLine($"adatape: {warning}");
                return session;
            });
    }

    /// <summary>The session factory of the backend <paramref name="config"/> names, or a one-line error for `--backend`
    /// that lists the backends this tool ships.</summary>
    public static Func<IInferenceSession> SessionsFor(CliContext context, InferenceConfig config)
    {
        try { return Create(context).For(config); }
        catch (ArgumentException e) { throw new UserError($"--backend {config.Backend}: {e.Message}"); }
    }
}
