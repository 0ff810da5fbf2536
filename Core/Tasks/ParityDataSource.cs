using AdaTapeDml.Core.Contracts;

namespace AdaTapeDml.Core.Tasks;

/// <summary>The parity generator as a data source: one-hot inputs [B, L, 3].</summary>
public sealed class ParityDataSource(ParityGenerator generator) : IDataSource
{
    public IReadOnlyList<long> InputShape { get; } = [generator.SeqLen, Parity.Channels];

    public int EvalCount => generator.EvalSet.Count;

    public LabeledBatch TrainBatch(long index, int batchSize) => ToLabeled(generator.TrainBatch(index, batchSize));

    public IEnumerable<LabeledBatch> EvalBatches(int batchSize) => generator.EvalBatches(batchSize).Select(ToLabeled);

    private static LabeledBatch ToLabeled(ParityBatch batch) =>
        new(batch.OneHot, [batch.Count, batch.SeqLen, Parity.Channels], batch.Labels);
}
