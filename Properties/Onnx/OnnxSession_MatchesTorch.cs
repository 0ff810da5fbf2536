using AdaTapeDml.Backends.Onnx.Runtime;
using AdaTapeDml.Backends.TorchSharp.Inference;
using AdaTapeDml.Core.Contracts;

namespace AdaTapeDml.Properties.Onnx;

/// <summary>For every model kind, ONNX Runtime (CPU) on the compiled graphs gives TorchSharp's logits within 1e-4 and
/// exactly its per-sample statistic (tape lengths, UT steps, A-ViT mean depths): padded Run, and READ + ENCODE with each sample at its own tape length.</summary>
public sealed class OnnxSession_MatchesTorch : IDisposable
{
    private const float Tolerance = 1e-4f;
    private readonly string dir = Directory.CreateTempSubdirectory("adatape-onnx-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Theory]
    [MemberData(nameof(OnnxTestModels.Names), MemberType = typeof(OnnxTestModels))]
    public void Padded_run_matches_torch(string name)
    {
        var spec = OnnxTestModels.Specs[name];
        var path = OnnxTestModels.SaveRandom(spec, Path.Combine(dir, "model.safetensors"), seed: 11);
        using var torch = new TorchInferenceSession(path);
        using var onnx = new OnnxInferenceSession(path);
        const int count = 24;
        var inputs = OnnxTestModels.Inputs(spec, count, seed: 5);
        var expected = torch.Run(inputs, count);
        var actual = onnx.Run(inputs, count);
        Assert.Equal(expected.Lengths, actual.Lengths);
        Assert.Equal(expected.Compute.GetType(), actual.Compute.GetType());
        Assert.Equal(Enumerable.Range(0, count).Select(expected.Compute.Statistic), Enumerable.Range(0, count).Select(actual.Compute.Statistic));
        AssertClose(expected.Logits, actual.Logits, name);
        Assert.Contains(expected.Logits, v => Math.Abs(v) > 1e-3);                         // not a vacuous comparison
    }

    [Theory]
    [InlineData("adatape-learnable", true)]
    [InlineData("adatape-learnable-m2-token-tapeffn", true)]
    [InlineData("adatape-sequence", false)]                 // 3 distinct bank vectors: random weights read one length (the trained test varies)
    [InlineData("adatape-image", true)]
    public void Read_then_encode_at_each_samples_own_length_matches_torch(string name, bool lengthsVary)
    {
        var spec = OnnxTestModels.Specs[name];
        var path = OnnxTestModels.SaveRandom(spec, Path.Combine(dir, "model.safetensors"), seed: 12);
        using var torch = new TorchInferenceSession(path);
        using var onnx = new OnnxInferenceSession(path);
        const int count = 16;
        var inputs = OnnxTestModels.Inputs(spec, count, seed: 6);
        var padded = torch.Run(inputs, count);
        var torchRead = torch.Read(inputs, count);
        var read = onnx.Read(inputs, count);
        Assert.Equal(torchRead.Lengths, read.Lengths);
        Assert.Equal((torchRead.Tokens, torchRead.Width, torchRead.MaxTape), (read.Tokens, read.Width, read.MaxTape));
        AssertClose(torchRead.Hidden, read.Hidden, $"{name} hidden");
        for (var b = 0; b < count; b++)
        {
            var length = read.Lengths[b];
            AssertClose(torchRead.TapeOf(b, length).ToArray(), read.TapeOf(b, length).ToArray(), $"{name} tape of sample {b}");
            var logits = onnx.Encode(read.HiddenOf(b).ToArray(), read.TapeOf(b, length).ToArray(), [length], length);
            AssertClose(padded.Logits.AsSpan(b * logits.Length, logits.Length).ToArray(), logits, $"{name} sample {b} at length {length}");
        }
        Assert.True(!lengthsVary || read.Lengths.Distinct().Count() > 1, $"{name}: every sample read the same length; the test would not cover grouping");
    }

    [Fact]
    public void Encode_of_a_group_with_mixed_lengths_masks_like_torch()
    {
        var spec = OnnxTestModels.Specs["adatape-learnable"];
        var path = OnnxTestModels.SaveRandom(spec, Path.Combine(dir, "model.safetensors"), seed: 13);
        using var torch = new TorchInferenceSession(path);
        using var onnx = new OnnxInferenceSession(path);
        var inputs = OnnxTestModels.Inputs(spec, 8, seed: 7);
        var read = onnx.Read(inputs, 8);
        var expected = torch.Encode(read.Hidden, read.Tape, read.Lengths, read.MaxTape);
        AssertClose(expected, onnx.Encode(read.Hidden, read.Tape, read.Lengths, read.MaxTape), "group at T");
    }

    [Fact]
    public void Compute_knob_is_compiled_into_the_graphs()
    {
        var spec = OnnxTestModels.Specs["adatape-learnable"];
        var path = OnnxTestModels.SaveRandom(spec, Path.Combine(dir, "model.safetensors"), seed: 14);
        var knob = new TapeOverride(ActEpsilon: 1.0);
        using var torch = new TorchInferenceSession(path, knob);
        using var onnx = new OnnxInferenceSession(path, tape: knob);
        var inputs = OnnxTestModels.Inputs(spec, 16, seed: 8);
        var (expected, actual) = (torch.Run(inputs, 16), onnx.Run(inputs, 16));
        Assert.Equal(1.0, ((AdaTapeDml.Core.Specs.AdaTapeModelSpec)onnx.Spec.Model).Tape.ActEpsilon);
        Assert.Equal(expected.Lengths, actual.Lengths);
        AssertClose(expected.Logits, actual.Logits, "knob");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Universal_transformer_unrolled_to_max_steps_equals_torch_stopping_early_or_not(bool haltsEarly)
    {
        var spec = OnnxTestModels.Specs["ut-image"];
        var act = new AdaTapeDml.Core.Specs.ActHaltingSpec(MaxSteps: 3, HaltingBiasInit: haltsEarly ? 4 : -3);   // p near 1: every position halts at step 2
        spec = spec with { Model = ((AdaTapeDml.Core.Specs.UniversalTransformerModelSpec)spec.Model) with { Act = act } };
        var path = OnnxTestModels.SaveRandom(spec, Path.Combine(dir, "model.safetensors"), seed: 15);
        var inputs = OnnxTestModels.Inputs(spec, 8, seed: 9);
        using (var loaded = AdaTapeDml.Backends.TorchSharp.Training.TorchModels.Load(path))
        using (var scope = TorchSharp.torch.NewDisposeScope())
        using (TorchSharp.torch.no_grad())
        {
            var steps = loaded.Model.forward(TorchSharp.torch.tensor(inputs, [8, 1, 28, 28])).Steps;
            Assert.True(haltsEarly == steps < 3, $"torch took {steps} of 3 steps");
        }
        using var torch = new TorchInferenceSession(path);
        using var onnx = new OnnxInferenceSession(path);
        AssertClose(torch.Run(inputs, 8).Logits, onnx.Run(inputs, 8).Logits, $"UT, halts early: {haltsEarly}");
    }

    internal static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= Tolerance, $"{what}: max |torch - onnx| = {worst:E2} > {Tolerance:E0}");
    }
}
