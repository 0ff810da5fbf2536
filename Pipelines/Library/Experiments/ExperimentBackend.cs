using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Pipelines.Training;

namespace AdaTapeDml.Pipelines.Experiments;

/// <summary>What an experiment needs from the outside, wired by the host (the CLI, or a test): data, a trainer, a way to
/// watch a training run, and inference sessions by backend name.</summary>
/// <param name="LoadData">The data source of a spec's task (a test injects a small one).</param>
/// <param name="CreateTrainer">A trainer for (spec, data, checkpoint to resume from or null).</param>
/// <param name="Watch">Runs a training observable to completion, rendering it, and returns its completion event.</param>
/// <param name="Sessions">Inference session factories by backend name: (weights path, compute-knob setting or null).</param>
/// <param name="SweepBackend">The backend the knob sweeps and accuracy checks run on.</param>
/// <param name="Log">Where progress lines go.</param>
public sealed record ExperimentBackend(
    Func<RunSpec, IDataSource> LoadData,
    Func<RunSpec, IDataSource, string?, ITrainer> CreateTrainer,
    Func<IObservable<TrainingEvent>, TrainingCompleted> Watch,
    IReadOnlyDictionary<string, Func<string, KnobSetting?, IInferenceSession>> Sessions,
    string SweepBackend,
    TextWriter Log);
