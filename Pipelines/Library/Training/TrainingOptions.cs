namespace AdaTapeDml.Pipelines.Training;

/// <summary>How a training run is driven (not part of the experiment's spec).</summary>
/// <param name="Run">Where checkpoints and metrics go.</param>
/// <param name="Budget">Wall-clock limit for this session; the run stops (with a checkpoint) when it is spent.</param>
/// <param name="StepEventInterval">Emit a step event every N steps (1 = every step).</param>
public sealed record TrainingOptions(RunDirectory Run, TimeSpan? Budget = null, int StepEventInterval = 1);
