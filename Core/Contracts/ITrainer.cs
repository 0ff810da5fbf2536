using AdaTapeDml.Core.Specs;

namespace AdaTapeDml.Core.Contracts;

/// <summary>What a training backend offers: a model built from a spec, stepped one batch at a time, evaluated on the
/// held-out set, checkpointed and resumed. Implementations are single-threaded: call from one thread at a time.</summary>
public interface ITrainer : IDisposable
{
    RunSpec Spec { get; }

    /// <summary>Trainable parameters.</summary>
    long ParameterCount { get; }

    /// <summary>Optimizer steps completed.</summary>
    int StepsDone { get; }

    /// <summary>Runs optimizer step number <see cref="StepsDone"/> on that step's training batch.</summary>
    TrainStepResult TrainStep();

    /// <summary>Evaluates on the whole held-out set.</summary>
    EvalResult Evaluate();

    /// <summary>Weights, optimizer state, step and spec as one safetensors file's bytes (the caller writes it atomically).</summary>
    byte[] Checkpoint(IReadOnlyDictionary<string, string> extraMetadata);

    /// <summary>Weights only (no optimizer state), as safetensors bytes: what export and inference load.</summary>
    byte[] Weights();
}
