using AdaTapeDml.Backends.Onnx.Runtime;
using AdaTapeDml.Backends.TorchSharp.Inference;
using AdaTapeDml.Backends.TorchSharp.Training;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Core.Tasks;
using AdaTapeDml.Properties.Backends;
using AdaTapeDml.Properties.TestHost;

namespace AdaTapeDml.Properties.Onnx;

/// <summary>On a trained AdaTape parity checkpoint (sharp read weights, so halting sums land on or next to tau) ONNX
/// Runtime reads exactly TorchSharp's tape lengths and gives its logits within 1e-4.</summary>
public sealed class OnnxSession_TrainedParity : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("adatape-onnx-trained-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void Trained_parity_checkpoint_matches_torch()
    {
        var spec = TinySpecs.AdaTapeParity(seqLen: 6, steps: 300,
            tape: new TapeSpec(NumTapeTokens: 6, ActEpsilon: 2.0, SplitTt: 2, TtMlpDim: 16, ActLossWeight: 0.1)) with
        {
            Training = new TrainingSpec(BatchSize: 32, Steps: 300, WarmupSteps: 20, LearningRate: 3e-3, Seed: 4),
        };
        var path = Path.Combine(dir, "model.safetensors");
        using (TorchThreads.Pin(1))
        {
            using var trainer = new TorchTrainer(spec, DataSources.For(spec.Task, spec.Training.Seed));
            while (trainer.StepsDone < spec.Training.Steps) trainer.TrainStep();
            File.WriteAllBytes(path, trainer.Weights());
        }
        using var torch = new TorchInferenceSession(path);
        using var onnx = new OnnxInferenceSession(path);
        const int count = 256;
        var inputs = new ParityGenerator(6, 0, 99).TrainBatch(0, count).OneHot;
        var (expected, actual) = (torch.Run(inputs, count), onnx.Run(inputs, count));
        Assert.Equal(expected.Lengths, actual.Lengths);
        OnnxSession_MatchesTorch.AssertClose(expected.Logits, actual.Logits, "trained parity");
        var read = onnx.Read(inputs, count);
        Assert.Equal(expected.Lengths, read.Lengths);
        foreach (var group in Enumerable.Range(0, count).GroupBy(b => read.Lengths[b]))
        {
            var members = group.ToArray();
            var length = group.Key;
            var hidden = members.SelectMany(b => read.HiddenOf(b).ToArray()).ToArray();
            var tape = members.SelectMany(b => read.TapeOf(b, length).ToArray()).ToArray();
            var logits = onnx.Encode(hidden, tape, members.Select(_ => length).ToArray(), length);
            var want = members.SelectMany(b => expected.Logits.AsSpan(b * 2, 2).ToArray()).ToArray();
            OnnxSession_MatchesTorch.AssertClose(want, logits, $"length group {length}");
        }
    }
}
