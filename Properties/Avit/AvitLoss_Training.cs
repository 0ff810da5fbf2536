using AdaTapeDml.Backends.TorchSharp.Training;
using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Properties.Onnx;
using static TorchSharp.torch;

namespace AdaTapeDml.Properties.Avit;

/// <summary>A-ViT's ponder + prior loss is finite and positive, its gradient reaches the blocks (through the halting
/// scores of channel 0), and a few training steps on a fixed batch lower the total loss.</summary>
public sealed class AvitLoss_Training
{
    private const int Batch = 16;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Ponder_and_prior_loss_is_finite_positive_and_reaches_the_blocks(int seed)
    {
        using var scope = NewDisposeScope();
        using var model = AvitTestModels.Random(AvitTestModels.Images, seed);
        model.train();
        var images = tensor(OnnxTestModels.Inputs(AvitTestModels.Images, Batch, seed), [Batch, 1, 28, 28]);
        var aux = model.forward(images).AuxLoss;                                                   // [B]
        Assert.Equal([Batch], aux.shape);
        Assert.True(aux.isfinite().all().item<bool>() && (aux > 0).all().item<bool>(), $"aux loss {aux.mean().item<float>()}");
        aux.mean().backward();
        var grads = model.named_parameters().Where(p => p.parameter.grad is not null).ToDictionary(p => p.name, p => p.parameter.grad!);
        Assert.All(grads, g => Assert.True(g.Value.isfinite().all().item<bool>(), $"{g.Key}: non-finite gradient"));
        foreach (var layer in new[] { "blocks.0", "blocks.1" })                                   // the last layer's h is forced to 1
            Assert.Contains(grads, g => g.Key.StartsWith(layer) && g.Value.abs().max().item<float>() > 0);
    }

    [Fact]
    public void A_few_training_steps_lower_the_loss()
    {
        var spec = AvitTestModels.Images with { Training = new TrainingSpec(BatchSize: Batch, Steps: 30, WarmupSteps: 2, EvalInterval: 30, CheckpointInterval: 30, Seed: 4) };
        using var trainer = new TorchTrainer(spec, new FixedBatch(OnnxTestModels.Inputs(spec, Batch, 7), Batch));
        var losses = Enumerable.Range(0, spec.Training.Steps).Select(_ => trainer.TrainStep()).ToList();
        Assert.All(losses, l => Assert.True(double.IsFinite(l.Loss) && l.AuxLoss > 0, $"step {l.Step}: loss {l.Loss}, aux {l.AuxLoss}"));
        var (first, last) = (losses.Take(3).Average(l => l.Loss), losses.TakeLast(3).Average(l => l.Loss));
        Assert.True(last < first - 0.1, $"loss went from {first:F3} to {last:F3}");
    }

    /// <summary>The same batch of images, labelled 0..9 in turn, as every training batch: a task a tiny model can fit in steps.</summary>
    private sealed class FixedBatch(float[] images, int count) : IDataSource
    {
        private readonly LabeledBatch batch = new(images, [count, 1, 28, 28], Enumerable.Range(0, count).Select(i => i % 10).ToArray());
        public IReadOnlyList<long> InputShape => [1, 28, 28];
        public LabeledBatch TrainBatch(long index, int batchSize) => batch;
        public IEnumerable<LabeledBatch> EvalBatches(int batchSize) => [batch];
        public int EvalCount => count;
    }
}
