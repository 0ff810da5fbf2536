
namespace AdaTapeDml.Properties.Halting.Backends;

/// <summary>A backend's Adaptive Tape Reading, seen by the halting properties: a batch in, one trace per sample out.
/// Training randomness (query noise, bank masking) comes from the per-sample seeds of <see cref="AtrBatch.Training"/>.</summary>
public interface IAtrImplementation
{
    /// <summary>Shown in test names and failure messages.</summary>
    string Name { get; }

    IReadOnlyList<AtrTrace> Read(AtrBatch batch);
}
