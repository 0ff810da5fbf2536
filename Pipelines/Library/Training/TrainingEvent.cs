using AdaTapeDml.Core.Contracts;

namespace AdaTapeDml.Pipelines.Training;

/// <summary>What a training run reports, in order: Started, then Step / Evaluation / Checkpoint events, then Completed
/// (or OnError). <paramref name="Elapsed"/> is training time including earlier sessions of a resumed run.</summary>
public abstract record TrainingEvent(int Step, TimeSpan Elapsed);

/// <summary>The run began (or resumed at <paramref name="Step"/>).</summary>
public sealed record TrainingStarted(int Step, TimeSpan Elapsed, string Name, long Parameters, int TotalSteps, bool Resumed) : TrainingEvent(Step, Elapsed);

/// <summary>An optimizer step finished.</summary>
public sealed record StepCompleted(int Step, TimeSpan Elapsed, TrainStepResult Metrics, double ExamplesPerSecond) : TrainingEvent(Step, Elapsed);

/// <summary>A held-out evaluation finished.</summary>
public sealed record EvaluationCompleted(int Step, TimeSpan Elapsed, EvalResult Result) : TrainingEvent(Step, Elapsed);

/// <summary>A checkpoint was written (atomically) to <paramref name="Path"/>.</summary>
public sealed record CheckpointWritten(int Step, TimeSpan Elapsed, string Path) : TrainingEvent(Step, Elapsed);

/// <summary>The run ended: all steps done, or the time budget ran out (<paramref name="BudgetExhausted"/>).</summary>
public sealed record TrainingCompleted(int Step, TimeSpan Elapsed, EvalResult Final, bool BudgetExhausted) : TrainingEvent(Step, Elapsed);
