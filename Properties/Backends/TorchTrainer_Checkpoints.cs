using AdaTapeDml.Backends.TorchSharp.Models;
using AdaTapeDml.Backends.TorchSharp.Training;
using AdaTapeDml.Core.Checkpoints;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Core.Tasks;

namespace AdaTapeDml.Properties.Backends;

/// <summary>Checkpoints: a resumed run ends with the same weights as an uninterrupted one; damaged, foreign or
/// mismatched files are refused with a message naming the problem.</summary>
public sealed class TorchTrainer_Checkpoints : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("adatape-ckpt-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Theory]
    [InlineData("adatape")]
    [InlineData("ut")]
    [InlineData("avit")]
    public void Resumed_run_equals_uninterrupted_run(string kind)
    {
        var spec = kind switch
        {
            "adatape" => TinySpecs.AdaTapeParity(tape: new TapeSpec(NumTapeTokens: 4, ActEpsilon: 2.0, SplitTt: 2, TtMlpDim: 16, QueryNoise: 0.5, BankMaskP: 0.2)),
            "ut" => TinySpecs.Of(new UniversalTransformerModelSpec(TinySpecs.Encoder, new ActHaltingSpec(MaxSteps: 3))),
            _ => TinySpecs.Of(new AvitModelSpec(TinySpecs.Encoder with { Classifier = Classifier.Token }, new TokenHaltingSpec(PriorTargetDepth: 1))),
        };
        var data = DataSources.For(spec.Task, spec.Training.Seed);
        byte[] uninterrupted;
        using (var trainer = new TorchTrainer(spec, data))
        {
            while (trainer.StepsDone < spec.Training.Steps) trainer.TrainStep();
            uninterrupted = trainer.Weights();
        }
        var checkpoint = Path.Combine(dir, "checkpoint.safetensors");
        using (var first = new TorchTrainer(spec, data))
        {
            for (var i = 0; i < 5; i++) first.TrainStep();
            File.WriteAllBytes(checkpoint, first.Checkpoint(new Dictionary<string, string>()));
        }
        using var resumed = new TorchTrainer(spec, data, checkpoint);
        Assert.Equal(5, resumed.StepsDone);
        while (resumed.StepsDone < spec.Training.Steps) resumed.TrainStep();
        // Bit for bit: a resume must not change a single weight. Two trainings in one process agree exactly because the
        // test run puts MKL in its strict reproducible mode (TestHost.ReproducibleMath) and training seeds every step.
        Assert.Equal(uninterrupted, resumed.Weights());
    }

    [Fact]
    public void Truncated_checkpoint_is_refused()
    {
        var path = Save(TinySpecs.AdaTapeParity());
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var error = Assert.Throws<CheckpointException>(() => CheckpointFile.Read(path));
        Assert.Contains("truncated", error.Message);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void Altered_data_fails_the_checksum()
    {
        var path = Save(TinySpecs.AdaTapeParity());
        var bytes = File.ReadAllBytes(path);
        bytes[^3] ^= 0x55;
        File.WriteAllBytes(path, bytes);
        Assert.Contains("checksum", Assert.Throws<CheckpointException>(() => CheckpointFile.Read(path)).Message);
    }

    [Fact]
    public void Foreign_and_missing_files_are_refused()
    {
        var foreign = Path.Combine(dir, "foreign.bin");
        File.WriteAllBytes(foreign, "PK\u0003\u0004 this is a zip, not weights"u8.ToArray());
        Assert.Contains("not a safetensors file", Assert.Throws<CheckpointException>(() => CheckpointFile.Read(foreign)).Message);
        var plain = Path.Combine(dir, "plain.safetensors");
        File.WriteAllBytes(plain, SafeTensors.Encode(new Dictionary<string, TensorData> { ["w"] = new([1], [1f]) }, new Dictionary<string, string>()));
        Assert.Contains("not an AdaTapeDml checkpoint", Assert.Throws<CheckpointException>(() => CheckpointFile.Read(plain)).Message);
        Assert.Contains("does not exist", Assert.Throws<CheckpointException>(() => CheckpointFile.Read(Path.Combine(dir, "nope"))).Message);
    }

    [Fact]
    public void Checkpoint_of_another_shape_is_refused_naming_the_tensor()
    {
        var path = Save(TinySpecs.AdaTapeParity());
        var wider = TinySpecs.AdaTapeParity() with { Model = new AdaTapeModelSpec(TinySpecs.Encoder with { Width = 32 }, new TapeSpec(NumTapeTokens: 4, SplitTt: 2, TtMlpDim: 16), new SequenceInputBankSpec()) };
        using var model = ModelFactory.Create(wider.Model, wider.Task);
        var error = Assert.Throws<CheckpointException>(() => TorchCheckpoint.Load(CheckpointFile.Read(path), path, model, null));
        Assert.Contains("has shape", error.Message);
        Assert.Contains("but the spec needs", error.Message);
    }

    [Fact]
    public void Resuming_under_another_spec_is_refused_naming_each_changed_field()
    {
        var spec = TinySpecs.AdaTapeParity();
        var path = Save(spec);
        var longer = spec with { Training = spec.Training with { Steps = spec.Training.Steps + 8 } };
        var error = Assert.Throws<CheckpointException>(() => new TorchTrainer(longer, DataSources.For(longer.Task, 0), path));
        Assert.Contains(path, error.Message);
        Assert.Contains($"training.steps: {spec.Training.Steps} -> {longer.Training.Steps}", error.Message);
        var wider = spec with { Model = ((AdaTapeModelSpec)spec.Model) with { Encoder = TinySpecs.Encoder with { Width = 32 } } };
        Assert.Contains("model.encoder.width: 16 -> 32", Assert.Throws<CheckpointException>(() => new TorchTrainer(wider, DataSources.For(wider.Task, 0), path)).Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("seven")]
    [InlineData("-1")]
    public void A_checkpoint_without_a_readable_step_is_refused_not_read_as_step_0(string? step)
    {
        var path = Save(TinySpecs.AdaTapeParity());
        var file = CheckpointFile.Read(path);
        var metadata = file.Metadata.Where(m => m.Key != CheckpointKeys.Step).ToDictionary();
        if (step is not null) metadata[CheckpointKeys.Step] = step;
        File.WriteAllBytes(path, SafeTensors.Encode(file.Tensors, metadata));
        var error = Assert.Throws<CheckpointException>(() => new TorchTrainer(TinySpecs.AdaTapeParity(), DataSources.For(new ParityTaskSpec(6, 50), 0), path));
        Assert.Contains(path, error.Message);
        Assert.Contains(CheckpointKeys.Step, error.Message);
        Assert.Contains(CheckpointKeys.Step, Assert.Throws<CheckpointException>(() => TorchModels.Load(path)).Message);
    }

    private string Save(RunSpec spec)
    {
        using var trainer = new TorchTrainer(spec, DataSources.For(spec.Task, spec.Training.Seed));
        trainer.TrainStep();
        var path = Path.Combine(dir, $"{Guid.NewGuid():N}.safetensors");
        File.WriteAllBytes(path, trainer.Checkpoint(new Dictionary<string, string>()));
        return path;
    }
}
