using AdaTapeDml.Backends.TorchSharp.Models;
using AdaTapeDml.Properties.Generators;
using AdaTapeDml.Properties.Halting.Backends;
using AdaTapeDml.Properties.Onnx;
using FsCheck;
using FsCheck.Fluent;
using static TorchSharp.torch;

namespace AdaTapeDml.Properties.Avit;

/// <summary>A-ViT's token halting on random tiny models and random images: every token halts by the last layer, depths
/// lie in [1, L], a halted token's output no longer changes, and the masked dense forward equals the per-sample
/// reference loop that leaves halted tokens out.</summary>
public sealed class AvitHalting_Properties(ITestOutputHelper output)
{
    private const int Cases = 25;

    /// <summary>A weight seed, an input seed and a batch size.</summary>
    private static Arbitrary<(int Weights, int Inputs, int Count)> Batches() => Arb.From(
        from weights in Gen.Choose(0, 10_000)
        from inputs in Gen.Choose(0, 10_000)
        from count in Gen.Choose(1, 6)
        select (weights, inputs, count));

    private static (AvitModel Model, ModelOutput Output, List<AvitLayerTrace> Trace) Forward((int Weights, int Inputs, int Count) c)
    {
        var spec = AvitTestModels.Images;
        var model = AvitTestModels.Random(spec, c.Weights);
        var trace = new List<AvitLayerTrace>();
        using var _ = no_grad();
        var input = tensor(OnnxTestModels.Inputs(spec, c.Count, c.Inputs), [c.Count, 1, 28, 28]);
        return (model, model.Forward(input, trace), trace);
    }

    [Fact]
    public void Every_token_halts_by_the_last_layer_at_a_depth_within_1_to_L()
    {
        var depth = AvitTestModels.Model(AvitTestModels.Images).Encoder.Depth;
        var threshold = (float)(1 - AvitTestModels.Model(AvitTestModels.Images).Halting.Eps);
        var seen = new HashSet<long>();
        PropertyCheck.ForAll(Batches(), c =>
        {
            using var scope = NewDisposeScope();
            var (model, result, trace) = Forward(c);
            using var _ = model;
            var depths = result.TokenDepths!.data<long>().ToArray();
            Assert.All(depths, d => Assert.InRange(d, 1, depth));
            Assert.True((trace[^1].Cumulative > threshold).all().item<bool>(), "a token's cumulative score stayed below 1 - eps after the last layer");
            seen.UnionWith(depths);
        }, output, Cases);
        Assert.True(seen.Count == depth, $"depths seen: {string.Join(", ", seen.Order())}; the models must halt tokens at every depth for this to test anything");
    }

    [Fact]
    public void A_halted_tokens_output_no_longer_changes()
    {
        PropertyCheck.ForAll(Batches(), c =>
        {
            using var scope = NewDisposeScope();
            var (model, result, trace) = Forward(c);
            using var _ = model;
            var depths = result.TokenDepths!;                                                      // [B, N]
            for (var l = 0; l < trace.Count; l++)
            {
                var halted = (depths <= l + 1).unsqueeze(-1);                                       // halted at or before layer l
                var change = (trace[^1].Output - trace[l].Output).abs() * halted;
                Assert.True(change.max().item<float>() == 0, $"a token halted by layer {l} changed afterwards by {change.max().item<float>()}");
            }
        }, output, Cases);
    }

    [Fact]
    public void Masked_dense_execution_equals_the_per_sample_reference_loop()
    {
        var tally = new KnifeEdgeTally();
        var spec = AvitTestModels.Model(AvitTestModels.Images);
        PropertyCheck.ForAll(Batches(), c =>
        {
            using var scope = NewDisposeScope();
            var (model, result, _) = Forward(c);
            using var __ = model;
            var images = tensor(OnnxTestModels.Inputs(AvitTestModels.Images, c.Count, c.Inputs), [c.Count, 1, 28, 28]);
            var logits = result.Logits.data<float>().ToArray();
            var depths = result.TokenDepths!.data<long>().Select(d => (int)d).ToArray();
            var (classes, tokens) = (logits.Length / c.Count, depths.Length / c.Count);
            for (var b = 0; b < c.Count; b++)
            {
                var reference = AvitReferenceLoop.Run(model, spec, images[b..(b + 1)]);
                if (!tally.Compares(AvitTestModels.IsKnifeEdge(reference.Cumulative, spec.Halting))) continue;
                Assert.Equal(reference.Depths, depths[(b * tokens)..((b + 1) * tokens)]);
                OnnxSession_MatchesTorch.AssertClose(reference.Logits, logits[(b * classes)..((b + 1) * classes)], $"sample {b}");
            }
        }, output, Cases);
        tally.Check(output, "masked dense vs reference loop");
    }
}
