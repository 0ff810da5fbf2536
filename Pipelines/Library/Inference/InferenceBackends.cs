using AdaTapeDml.Core.Contracts;

namespace AdaTapeDml.Pipelines.Inference;

/// <summary>Backends by name: the app (or the CLI) registers the concrete backends it ships, and configuration picks one
/// per deployment; the pipeline itself only knows the <see cref="IInferenceSession"/> contract.</summary>
public sealed class InferenceBackends
{
    private readonly Dictionary<string, Func<InferenceConfig, IInferenceSession>> factories = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Registers <paramref name="create"/> under <paramref name="name"/>; returns this for chaining.</summary>
    public InferenceBackends Add(string name, Func<InferenceConfig, IInferenceSession> create)
    {
        factories[name] = create;
        return this;
    }

    public IReadOnlyCollection<string> Names => factories.Keys;

    /// <summary>The session factory of the configured backend; an unknown name lists the registered ones.</summary>
    public Func<IInferenceSession> For(InferenceConfig config) =>
        factories.TryGetValue(config.Backend, out var create)
            ? () => create(config)
            : throw new ArgumentException($"unknown backend '{config.Backend}'; available: {string.Join(", ", factories.Keys.Order())}");
}
