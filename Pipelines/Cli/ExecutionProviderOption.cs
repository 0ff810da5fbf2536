namespace AdaTapeDml.Cli;

/// <summary>The `--ep` (and `--fallback`) options of every command that runs inference: ONNX Runtime's execution
/// provider, meaningful only with `--backend onnx`.</summary>
public static class ExecutionProviderOption
{
    /// <summary>The provider in lower case, or a one-line error naming what is allowed.</summary>
    /// <param name="fallback">The --fallback value, for commands that offer it (null when not given or not offered).</param>
    public static string Check(string backend, string provider, string? fallback = null)
    {
        provider = provider.ToLowerInvariant();
        if (provider is not ("cpu" or "directml" or "cuda")) throw new UserError($"--ep {provider}: allowed: cpu, directml, cuda");
        if (fallback is not null and not "cpu") throw new UserError($"--fallback {fallback}: the only fallback is 'cpu'");
        if (!backend.Equals("onnx", StringComparison.OrdinalIgnoreCase) && (provider != "cpu" || fallback is not null))
            throw new UserError($"--ep{(fallback is null ? "" : " and --fallback")} choose{(fallback is null ? "s" : "")} ONNX Runtime's execution provider; {(fallback is null ? "it needs" : "they need")} --backend onnx (got --backend {backend})");
        return provider;
    }
}
