using AdaTapeDml.Backends.TorchSharp.Inference;
using AdaTapeDml.Backends.TorchSharp.Training;
using AdaTapeDml.Core.Checkpoints;
using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Tasks;
using AdaTapeDml.Properties.Backends;

namespace AdaTapeDml.Properties.Devices;

/// <summary>Checkpoints do not depend on the device: written from a CPU copy, read onto whatever device the model lives
/// on. Here the "other" device string is `auto`, which resolves to the CPU on this machine (a GPU machine runs the same
/// code with it resolving to cuda:0); weights, optimizer moments and predictions come back identical.</summary>
public sealed class TorchTrainer_DeviceIndependence : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("adatape-device-").FullName;
    private static readonly Dictionary<string, string> NoMetadata = new();

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void Saved_on_cpu_loaded_with_another_device_string_gives_identical_weights_and_moments()
    {
        var spec = TinySpecs.AdaTapeParity(steps: 8);
        var data = DataSources.For(spec.Task, spec.Training.Seed);
        var path = Path.Combine(dir, "checkpoint.safetensors");
        byte[] saved;
        using (var trainer = new TorchTrainer(spec, data, device: ComputeDevice.Parse("cpu")))
        {
            for (var i = 0; i < 4; i++) trainer.TrainStep();
            saved = trainer.Checkpoint(NoMetadata);
        }
        File.WriteAllBytes(path, saved);

        using var resumed = new TorchTrainer(spec, data, path, ComputeDevice.Parse("auto"));
        Assert.Equal(TorchSharp.DeviceType.CPU, resumed.Model.Device.type);
        Assert.Equal(saved, resumed.Checkpoint(NoMetadata));                         // weights, moments, step: bit for bit

        using var loaded = TorchModels.Load(path, device: ComputeDevice.Parse("auto"));
        var file = CheckpointFile.Read(path);
        foreach (var (name, parameter) in loaded.Model.named_parameters())
            Assert.Equal(file.Tensors[CheckpointKeys.Model + name].Values, parameter.cpu().data<float>().ToArray());
    }

    [Fact]
    public void A_session_on_another_device_string_predicts_what_the_cpu_session_predicts()
    {
        var spec = TinySpecs.AdaTapeParity(steps: 3);
        var path = Path.Combine(dir, "model.safetensors");
        using (var trainer = new TorchTrainer(spec, DataSources.For(spec.Task, spec.Training.Seed)))
        {
            while (trainer.StepsDone < spec.Training.Steps) trainer.TrainStep();
            File.WriteAllBytes(path, trainer.Weights());
        }
        var batch = DataSources.For(spec.Task, spec.Training.Seed).EvalBatches(8).First();
        using var cpu = new TorchInferenceSession(path, device: ComputeDevice.Cpu);
        using var other = new TorchInferenceSession(path, device: ComputeDevice.Parse("AUTO"));
        var (expected, expectedLengths) = cpu.Run(batch.Inputs, batch.Count);
        var (actual, actualLengths) = other.Run(batch.Inputs, batch.Count);
        Assert.Equal(expected, actual);
        Assert.Equal(expectedLengths, actualLengths);
    }
}
