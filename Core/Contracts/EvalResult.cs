namespace AdaTapeDml.Core.Contracts;

/// <summary>Held-out metrics.</summary>
/// <param name="Step">Training steps completed when evaluated.</param>
/// <param name="Accuracy">Held-out accuracy.</param>
/// <param name="Loss">Mean held-out cross-entropy.</param>
/// <param name="MeanTape">Mean of each sample's adaptive statistic: tape length (AdaTape), UT steps, A-ViT mean token depth; 0 otherwise.</param>
/// <param name="StdTape">Std of that statistic over the samples (0 for a model that does not adapt).</param>
/// <param name="Examples">Examples evaluated.</param>
/// <param name="TapeHistogram">Count of samples per tape length 0..T (empty without a tape).</param>
public sealed record EvalResult(int Step, double Accuracy, double Loss, double MeanTape, double StdTape, int Examples, IReadOnlyList<int> TapeHistogram);
