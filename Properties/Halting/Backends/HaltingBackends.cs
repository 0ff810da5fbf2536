using FsCheck;

namespace AdaTapeDml.Properties.Halting.Backends;

/// <summary>Every ATR implementation the halting properties run on.</summary>
public static class HaltingBackends
{
    public static readonly IReadOnlyList<IAtrImplementation> All =
    [
        new ReferenceAtrImplementation(),
        new TorchAtrImplementation(),
        new OnnxAtrImplementation(),
    ];

    /// <summary>Backend names, for [MemberData]: one test case per backend.</summary>
    public static TheoryData<string> Names() => [.. All.Select(b => b.Name)];

    public static IAtrImplementation Named(string name) => All.Single(b => b.Name == name);

    /// <summary>Generated batches the backend can read: with training randomness only if it has a training mode.</summary>
    public static Arbitrary<AtrBatch> BatchesFor(string name) => AtrInputs.Batches(Named(name).HasTrainingMode);
}
