using Microsoft.ML.OnnxRuntime;

namespace AdaTapeDml.Backends.Onnx.Runtime;

/// <summary>Builds ONNX Runtime session options for a provider, checking first that the native build has it.</summary>
public static class SessionOptionsFactory
{
    /// <summary>The providers this ONNX Runtime native build offers (from ONNX Runtime itself).</summary>
    public static IReadOnlyList<string> Available() => OrtEnv.Instance().GetAvailableProviders();

    /// <summary>The provider sessions will actually use: <paramref name="options"/>' provider when the build has it; else
    /// the CPU when fallback is allowed (with a warning added to <paramref name="warnings"/>); else a
    /// <see cref="ProviderUnavailableException"/> naming the provider and listing the available ones.</summary>
    public static ExecutionProviderKind Resolve(OnnxOptions options, ICollection<string> warnings)
    {
        if (options.Provider == ExecutionProviderKind.Cpu) return ExecutionProviderKind.Cpu;
        var available = Available();
        var wanted = ExecutionProviderNames.Ort(options.Provider);
        if (available.Contains(wanted)) return options.Provider;
        var message = $"execution provider '{ExecutionProviderNames.Config(options.Provider)}' ({wanted}) is not in this ONNX Runtime build; available: {string.Join(", ", available)}";
        if (!options.FallbackToCpu)
            throw new ProviderUnavailableException($"{message} (use the DirectML build on Windows, see README, or --fallback cpu)");
        warnings.Add($"warning: {message}; falling back to cpu");
        return ExecutionProviderKind.Cpu;
    }

    /// <summary>Options configured as <paramref name="provider"/> requires, without appending the provider itself (so they
    /// can be built and inspected on any machine). DirectML requires memory pattern off and sequential execution.</summary>
    public static SessionOptions Configure(ExecutionProviderKind provider, OnnxOptions options)
    {
        var session = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        if (options.IntraOpThreads > 0) session.IntraOpNumThreads = options.IntraOpThreads;
        foreach (var (key, value) in ConfigEntries(options)) session.AddSessionConfigEntry(key, value);
        if (options.ProfilePrefix is not null)
        {
            session.EnableProfiling = true;
            session.ProfileOutputPathPrefix = options.ProfilePrefix;
        }
        if (provider == ExecutionProviderKind.DirectMl)
        {
            session.EnableMemoryPattern = false;                                  // DML EP: memory pattern unsupported
            session.ExecutionMode = ExecutionMode.ORT_SEQUENTIAL;                 // DML EP: no parallel execution
        }
        return session;
    }

    /// <summary>The session configuration entries <paramref name="options"/> ask for (ONNX Runtime has no getter for them).</summary>
    public static IReadOnlyDictionary<string, string> ConfigEntries(OnnxOptions options) =>
        options.IntraOpSpinning ? new Dictionary<string, string>() : new Dictionary<string, string> { ["session.intra_op.allow_spinning"] = "0" };

    /// <summary>Configured options with the provider appended (the CPU provider is always there).
    /// <paramref name="freeDimensions"/> pins named dimensions (e.g. tape_length), as DirectML wants shapes known early.
    /// <paramref name="shapesVaryPerCall"/> turns the memory pattern off: ONNX Runtime keeps one allocation plan per input
    /// shape it has seen, and the elastic pipeline's shapes vary: packed ENCODE's row count almost every call, the batch
    /// size of READ and padded ENCODE whenever the batching delay cuts a batch short (measured over a 100,000-request load,
    /// process memory after warm-up: +14 % with it on for packed ENCODE, +8 % with it off; that check's readings were
    /// noisy then, see ElasticLoadCheck).</summary>
    public static SessionOptions Create(ExecutionProviderKind provider, OnnxOptions options, IReadOnlyDictionary<string, long>? freeDimensions = null,
        bool shapesVaryPerCall = false)
    {
        var session = Configure(provider, options);
        if (shapesVaryPerCall) session.EnableMemoryPattern = false;
        foreach (var (name, value) in freeDimensions ?? new Dictionary<string, long>()) session.AddFreeDimensionOverrideByName(name, value);
        switch (provider)
        {
            case ExecutionProviderKind.DirectMl: session.AppendExecutionProvider_DML(options.DeviceId); break;
            case ExecutionProviderKind.Cuda: session.AppendExecutionProvider_CUDA(options.DeviceId); break;
        }
        return session;
    }
}
