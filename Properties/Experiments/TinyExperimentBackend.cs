using System.Reactive.Linq;
using AdaTapeDml.Backends.TorchSharp.Inference;
using AdaTapeDml.Backends.TorchSharp.Training;
using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Tasks;
using AdaTapeDml.Pipelines.Experiments;
using AdaTapeDml.Pipelines.Training;

namespace AdaTapeDml.Properties.Experiments;

/// <summary>The experiment runner's backend for tests: TorchSharp training and inference, quiet, recording every trainer
/// it makes (spec name and the checkpoint it resumes from) so a test can tell trained from reused.</summary>
public static class TinyExperimentBackend
{
    public static ExperimentBackend Create(List<(string Spec, string? ResumeFrom)> trainersMade) => new(
        spec => DataSources.For(spec.Task, spec.Training.Seed),
        (spec, data, checkpoint) =>
        {
            trainersMade.Add((spec.Name, checkpoint));
            return new TorchTrainer(spec, data, checkpoint);
        },
        run => run.ToEnumerable().OfType<TrainingCompleted>().Last(),
        new Dictionary<string, Func<string, KnobSetting?, IInferenceSession>> { ["torch"] = (w, k) => new TorchInferenceSession(w, k?.Tape, halting: k?.Halting) },
        "torch",
        TextWriter.Null);
}
