namespace AdaTapeDml.Core.Contracts;

/// <summary>Training and held-out data of a task. Training batches are random-access by index, so a resumed run
/// sees exactly the batches an uninterrupted one would.</summary>
public interface IDataSource
{
    /// <summary>Shape of one input (without the batch dimension).</summary>
    IReadOnlyList<long> InputShape { get; }

    /// <summary>Training batch number <paramref name="index"/>.</summary>
    LabeledBatch TrainBatch(long index, int batchSize);

    /// <summary>The whole held-out set in batches of at most <paramref name="batchSize"/>.</summary>
    IEnumerable<LabeledBatch> EvalBatches(int batchSize);

    /// <summary>Held-out examples.</summary>
    int EvalCount { get; }

    /// <summary>Distinct training examples, or null for a generated stream without epochs (parity).</summary>
    int? TrainCount => null;
}
