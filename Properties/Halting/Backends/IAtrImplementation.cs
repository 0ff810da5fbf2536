
namespace AdaTapeDml.Properties.Halting.Backends;

/// <summary>A backend's Adaptive Tape Reading, seen by the halting properties: a batch in, one trace per sample out.
/// Training randomness (query noise, bank masking) comes from the per-sample seeds of <see cref="AtrBatch.Training"/>.</summary>
public interface IAtrImplementation
{
    /// <summary>Shown in test names and failure messages.</summary>
    string Name { get; }

    /// <summary>Whether it applies training randomness; if not, it is given evaluation batches only.</summary>
    bool HasTrainingMode { get; }

    /// <summary>How far its weights, tape tokens, halting sum and loss may lie from the oracle's (and from its own in
    /// another batch): float kernels round at other points than the oracle's double LayerNorm.</summary>
    double Tolerance { get; }

    /// <summary>Whether it computes in the oracle's own arithmetic (only the oracle does): then knife edges go its way too,
    /// and a comparison with the oracle leaves nothing out.</summary>
    bool RoundsAsTheOracle { get; }

    /// <summary>Whether two entries whose scores lie within float rounding of each other (a near tie) may be ordered
    /// differently when the sample is read in a batch of another shape: its float32 kernels round a row differently by
    /// batch shape (found by the batch-independence property on ONNX Runtime; TorchSharp orders them the same).</summary>
    bool BatchShapeMovesNearTies { get; }

    IReadOnlyList<AtrTrace> Read(AtrBatch batch);
}
