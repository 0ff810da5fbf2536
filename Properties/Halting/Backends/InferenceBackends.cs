namespace AdaTapeDml.Properties.Halting.Backends;

/// <summary>Every inference backend the logit-level halting properties run on.</summary>
public static class InferenceBackends
{
    public static readonly IReadOnlyList<IInferenceBackend> All =
    [
        new TorchInferenceBackend(),
        new OnnxInferenceBackend(),
    ];

    public static TheoryData<string> Names() => [.. All.Select(b => b.Name)];

    public static IInferenceBackend Named(string name) => All.Single(b => b.Name == name);
}
