namespace AdaTapeDml.Core.Contracts;

/// <summary>Metrics of one optimizer step.</summary>
/// <param name="Step">Steps completed after this one.</param>
/// <param name="Loss">Total loss (task + weighted auxiliary).</param>
/// <param name="TaskLoss">Cross-entropy.</param>
/// <param name="AuxLoss">Mean ATR loss or ponder cost.</param>
/// <param name="Accuracy">Training-batch accuracy.</param>
/// <param name="MeanTape">Mean tape length (0 without a tape), or mean UT steps.</param>
/// <param name="StdTape">Std of tape length over the batch.</param>
/// <param name="LearningRate">Learning rate used.</param>
/// <param name="Examples">Batch size.</param>
public sealed record TrainStepResult(int Step, double Loss, double TaskLoss, double AuxLoss, double Accuracy, double MeanTape, double StdTape, double LearningRate, int Examples);
