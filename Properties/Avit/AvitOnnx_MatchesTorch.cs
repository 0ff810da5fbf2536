using AdaTapeDml.Backends.Onnx.Runtime;
using AdaTapeDml.Backends.TorchSharp.Inference;
using AdaTapeDml.Backends.TorchSharp.Models;
using AdaTapeDml.Backends.TorchSharp.Training;
using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Properties.Generators;
using AdaTapeDml.Properties.Halting.Backends;
using AdaTapeDml.Properties.Onnx;
using FsCheck;
using FsCheck.Fluent;
using static TorchSharp.torch;

namespace AdaTapeDml.Properties.Avit;

/// <summary>The compiled A-ViT graph on ONNX Runtime (CPU) gives TorchSharp's logits within 1e-4 and exactly its token
/// depths, on random weights and images; samples with a cumulative score within 1e-4 of the threshold are left out and
/// counted (<see cref="KnifeEdgeTally"/>).</summary>
public sealed class AvitOnnx_MatchesTorch(ITestOutputHelper output) : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("adatape-avit-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static Arbitrary<(int Weights, int Inputs)> Seeds() => Arb.From(
        from weights in Gen.Choose(0, 10_000)
        from inputs in Gen.Choose(0, 10_000)
        select (weights, inputs));

    [Fact]
    public void Logits_and_token_depths_equal_torch()
    {
        const int count = 8;
        var spec = AvitTestModels.Images;
        var halting = AvitTestModels.Model(spec).Halting;
        var tally = new KnifeEdgeTally();
        var depthsSeen = new HashSet<int>();
        PropertyCheck.ForAll(Seeds(), c =>
        {
            var path = OnnxTestModels.SaveRandom(spec, Path.Combine(dir, $"avit-{c.Weights}.safetensors"), c.Weights);
            var inputs = OnnxTestModels.Inputs(spec, count, c.Inputs);
            RunOutput expected, actual;
            using (var torch = new TorchInferenceSession(path)) expected = torch.Run(inputs, count);
            using (var onnx = new OnnxInferenceSession(path)) actual = onnx.Run(inputs, count);
            var cumulative = Cumulative(path, inputs, count);
            var (torchDepths, onnxDepths) = ((TokenDepthCompute)expected.Compute, (TokenDepthCompute)actual.Compute);
            var classes = expected.Logits.Length / count;
            for (var b = 0; b < count; b++)
            {
                if (!tally.Compares(AvitTestModels.IsKnifeEdge(cumulative.Select(layer => layer[b]), halting))) continue;
                Assert.Equal(torchDepths.DepthsOf(b).ToArray(), onnxDepths.DepthsOf(b).ToArray());
                OnnxSession_MatchesTorch.AssertClose(expected.Logits[(b * classes)..((b + 1) * classes)], actual.Logits[(b * classes)..((b + 1) * classes)], $"sample {b}");
                depthsSeen.UnionWith(torchDepths.DepthsOf(b).ToArray());
            }
            File.Delete(path);
        }, output, cases: 12);
        tally.Check(output, "A-ViT onnx vs torch");
        Assert.True(depthsSeen.Count == AvitTestModels.Model(spec).Encoder.Depth, $"depths seen: {string.Join(", ", depthsSeen.Order())}");
    }

    /// <summary>Per layer, per sample, each token's cumulative halting score in the TorchSharp forward.</summary>
    private static List<float[][]> Cumulative(string path, float[] inputs, int count)
    {
        using var loaded = TorchModels.Load(path);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var trace = new List<AvitLayerTrace>();
        ((AvitModel)loaded.Model).Forward(tensor(inputs, [count, 1, 28, 28]), trace);
        return trace.Select(layer => Enumerable.Range(0, count).Select(b => layer.Cumulative[b].data<float>().ToArray()).ToArray()).ToList();
    }
}
