using System.Diagnostics;
using AdaTapeDml.Backends.TorchSharp.Devices;
using AdaTapeDml.Backends.TorchSharp.Interop;
using AdaTapeDml.Backends.TorchSharp.Models;
using AdaTapeDml.Core.Checkpoints;
using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Serialization;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Core.Training;
using static TorchSharp.torch;

namespace AdaTapeDml.Backends.TorchSharp.Training;

/// <summary>Trains a spec's model with TorchSharp. Deterministic for a seed on one machine: initialisation uses the seed,
/// each step's batch is a function of the step index, and torch's generator is re-seeded from (seed, step) before each
/// step, so a run resumed from a checkpoint ends with the same weights as an uninterrupted one. Parameters, optimizer
/// moments and batches live on one device; checkpoints do not depend on it. Every native call runs on
/// <see cref="TorchThread"/>, whichever thread drives the trainer.</summary>
public sealed class TorchTrainer : ITrainer
{
    private readonly IDataSource data;
    private readonly ClassifierModel model;
    private readonly AdamW optimizer;
    private readonly Device device;

    /// <param name="device">Where to train (null: cpu); a device this build or machine cannot use throws
    /// <see cref="DeviceUnavailableException"/>.</param>
    public TorchTrainer(RunSpec spec, IDataSource data, string? resumeFrom = null, ComputeDevice? device = null)
    {
        (Spec, this.data) = (spec, data);
        this.device = TorchDevices.Resolve(device);
        (model, optimizer, ParameterCount, StepsDone) = TorchThread.Run(() => Build(spec, this.device, resumeFrom));
    }

    private static (ClassifierModel, AdamW, long Parameters, int StepsDone) Build(RunSpec spec, Device device, string? resumeFrom)
    {
        random.manual_seed(spec.Training.Seed);
        var model = ModelFactory.Create(spec.Model, spec.Task, device);
        var optimizer = new AdamW(model.named_parameters(), spec.Training);                    // moments beside their parameters
        var parameters = model.parameters().Sum(p => p.numel());
        if (resumeFrom is null) return (model, optimizer, parameters, 0);
        try
        {
            var file = CheckpointFile.Read(resumeFrom);
            // Resuming under another spec (more steps, another schedule) would train the rest of the run under a spec that
            // no file records, so the spec must be the one the checkpoint was written with.
            var differences = RunSpecDiff.Between(CheckpointFile.SpecOf(file, resumeFrom), spec);
            if (differences.Count > 0)
                throw new CheckpointException($"checkpoint {resumeFrom} was written by a run with another spec ({string.Join("; ", differences)}); resume with the spec it was started with, or start a new run");
            TorchCheckpoint.Load(file, resumeFrom, model, optimizer);
            return (model, optimizer, parameters, CheckpointFile.StepOf(file, resumeFrom));
        }
        catch
        {
            optimizer.Dispose();
            model.Dispose();
            throw;
        }
    }

    public RunSpec Spec { get; }
    public long ParameterCount { get; }
    public int StepsDone { get; private set; }

    /// <summary>The model being trained (for tests and benchmarks).</summary>
    public ClassifierModel Model => model;

    public TrainStepResult TrainStep() => TorchThread.Run(TrainStepHere);

    private TrainStepResult TrainStepHere()
    {
        using var scope = NewDisposeScope();
        var training = Spec.Training;
        var lr = LearningRateSchedule.At(training, StepsDone);
        random.manual_seed(training.Seed * 1_000_003L + StepsDone + 1);
        var batch = data.TrainBatch(StepsDone, training.BatchSize);
        model.train();
        var output = model.forward(tensor(batch.Inputs, batch.Shape, device: device));
        var labels = tensor(batch.Labels.Select(l => (long)l).ToArray(), device: device);
        var taskLoss = SmoothedCrossEntropy.Loss(output.Logits, labels, training.LabelSmoothing);
        var auxLoss = output.AuxLoss.mean();
        using var auxWeight = model.AuxLossWeight.ToScalar();
        var loss = taskLoss.add(auxLoss, auxWeight);                                                   // task + weight * aux
        model.zero_grad();
        loss.backward();
        if (training.ClipNorm > 0) nn.utils.clip_grad_norm_(model.parameters(), training.ClipNorm);
        optimizer.Step(lr);
        StepsDone++;
        var accuracy = output.Logits.argmax(-1).eq(labels).to(ScalarType.Float32).mean().item<float>();
        var (meanTape, stdTape) = TapeStats(output);
        return new TrainStepResult(StepsDone, loss.item<float>(), taskLoss.item<float>(), auxLoss.item<float>(), accuracy, meanTape, stdTape, lr, batch.Count);
    }

    public EvalResult Evaluate() => TorchThread.Run(() => TorchEvaluation.Evaluate(model, Spec, data, StepsDone));

    public byte[] Checkpoint(IReadOnlyDictionary<string, string> extraMetadata) =>
        TorchThread.Run(() => TorchCheckpoint.Encode(model, optimizer, Spec, StepsDone, extraMetadata));

    public byte[] Weights() => TorchThread.Run(() => TorchCheckpoint.Encode(model, null, Spec, StepsDone, new Dictionary<string, string>()));

    private static (double Mean, double Std) TapeStats(ModelOutput output)
    {
        if (output.Statistic() is not { } statistic) return (0, 0);
        return (statistic.mean().item<float>(), statistic.numel() > 1 ? statistic.std(unbiased: false).item<float>() : 0);
    }

    public void Dispose() => TorchThread.Run(() =>
    {
        optimizer.Dispose();
        model.Dispose();
    });
}
