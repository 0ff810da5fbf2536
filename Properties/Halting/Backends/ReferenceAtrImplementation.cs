using AdaTapeDml.Core.Atr;

namespace AdaTapeDml.Properties.Halting.Backends;

/// <summary>The Core oracle, one sample at a time.</summary>
public sealed class ReferenceAtrImplementation : IAtrImplementation
{
    public string Name => "reference";

    public bool HasTrainingMode => true;

    public double Tolerance => 0;

    public bool RoundsAsTheOracle => true;

    public bool BatchShapeMovesNearTies => false;

    public IReadOnlyList<AtrTrace> Read(AtrBatch batch) =>
        Enumerable.Range(0, batch.Count)
            .Select(b => AtrTrace.From(ReferenceAtr.Read(batch.Queries[b], batch.BankOf(b), batch.Norm, batch.Config, batch.PerturbationOf(b))))
            .ToArray();
}
