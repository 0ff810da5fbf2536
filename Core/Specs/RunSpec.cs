namespace AdaTapeDml.Core.Specs;

/// <summary>A whole experiment: everything needed to reproduce it, serialisable to one JSON file.
/// Every field has a default, so a JSON file names only what differs from the default AdaTape parity run.
/// (Nested defaults are taken in the constructor because System.Text.Json's source generator passes every
/// constructor parameter, so property initialisers alone would be overwritten by nulls.)</summary>
/// <param name="Name">A label for reports.</param>
/// <param name="Model">What to build. Default: AdaTape with the sequence bank.</param>
/// <param name="Task">What to learn. Default: parity of length 16.</param>
/// <param name="Training">How to train it.</param>
public sealed record RunSpec(string Name = "adatape-parity", ModelSpec? Model = null, TaskSpec? Task = null, TrainingSpec? Training = null)
{
    public ModelSpec Model { get; init; } = Model ?? new AdaTapeModelSpec();
    public TaskSpec Task { get; init; } = Task ?? new ParityTaskSpec();
    public TrainingSpec Training { get; init; } = Training ?? new TrainingSpec();
}
