namespace AdaTapeDml.Core.Contracts;

/// <summary>Held-out metrics.</summary>
/// <param name="Step">Training steps completed when evaluated.</param>
/// <param name="Accuracy">Held-out accuracy.</param>
/// <param name="Loss">Mean held-out cross-entropy.</param>
/// <param name="MeanTape">Mean tape length (AdaTape), or mean UT steps; 0 otherwise.</param>
/// <param name="StdTape">Std of tape length (0 for models without a tape).</param>
/// <param name="Examples">Examples evaluated.</param>
/// <param name="TapeHistogram">Count of samples per tape length 0..T (empty without a tape).</param>
public sealed record EvalResult(int Step, double Accuracy, double Loss, double MeanTape, double StdTape, int Examples, IReadOnlyList<int> TapeHistogram);
