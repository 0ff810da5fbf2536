using System.Reactive.Linq;
using AdaTapeDml.Backends.TorchSharp.Inference;
using AdaTapeDml.Backends.TorchSharp.Training;
using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Tasks;
using AdaTapeDml.Pipelines.Experiments;
using AdaTapeDml.Pipelines.Training;

namespace AdaTapeDml.Properties.Experiments;

/// <summary>Base of the experiment-runner tests: a temporary output folder (deleted afterwards) and the runner's backend for
/// tests: TorchSharp training and inference, quiet, recording every trainer it makes (spec name and the checkpoint it
/// resumes from) so a test can tell trained from reused.</summary>
public abstract class TinyExperiment : IDisposable
{
    protected readonly string dir;
    protected readonly List<(string Spec, string? ResumeFrom)> trainersMade = [];

    protected TinyExperiment(string prefix) => dir = Directory.CreateTempSubdirectory(prefix).FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    protected ExperimentBackend Backend() => new(
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
