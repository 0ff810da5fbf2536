using AdaTapeDml.Backends.TorchSharp.Devices;
using AdaTapeDml.Backends.TorchSharp.Models;
using AdaTapeDml.Core.Checkpoints;
using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Specs;

namespace AdaTapeDml.Backends.TorchSharp.Training;

/// <summary>A trained model loaded from a weights or checkpoint file, with the spec stored in it.</summary>
public sealed record LoadedModel(RunSpec Spec, ClassifierModel Model, int Step) : IDisposable
{
    public void Dispose() => Model.Dispose();
}

/// <summary>Loads trained models for evaluation and inference.</summary>
public static class TorchModels
{
    /// <summary>Builds the model of the spec stored in <paramref name="path"/> and loads its weights. When
    /// <paramref name="expected"/> is given, the stored spec's model and task must equal it. The model lives on
    /// <paramref name="device"/> (null: cpu), whatever device wrote the file. <paramref name="inference"/> changes the stored
    /// spec before the model is built (an inference-time knob that adds or removes no weight); it is applied after the
    /// <paramref name="expected"/> check.</summary>
    public static LoadedModel Load(string path, RunSpec? expected = null, ComputeDevice? device = null, Func<RunSpec, RunSpec>? inference = null)
    {
        var target = TorchDevices.Resolve(device);
        var file = CheckpointFile.Read(path);
        var spec = CheckpointFile.SpecOf(file, path);
        if (expected is not null && (expected.Model != spec.Model || expected.Task != spec.Task))
            throw new Core.Checkpoints.CheckpointException($"weight file {path} was trained with a different model or task than the run's spec.json");
        if (inference is not null) spec = inference(spec);
        var model = ModelFactory.Create(spec.Model, spec.Task, target);
        TorchCheckpoint.Load(file, path, model, null);
        model.eval();
        return new LoadedModel(spec, model, CheckpointFile.StepOf(file, path));
    }
}
