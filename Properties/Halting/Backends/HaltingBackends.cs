namespace AdaTapeDml.Properties.Halting.Backends;

/// <summary>Every ATR implementation the halting properties run on. A new backend (ONNX) is one more entry here.</summary>
public static class HaltingBackends
{
    public static readonly IReadOnlyList<IAtrImplementation> All =
    [
        new ReferenceAtrImplementation(),
        new TorchAtrImplementation(),
    ];

    /// <summary>Backend names, for [MemberData]: one test case per backend.</summary>
    public static TheoryData<string> Names() => [.. All.Select(b => b.Name)];

    public static IAtrImplementation Named(string name) => All.Single(b => b.Name == name);
}
