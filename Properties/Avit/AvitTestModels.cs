using AdaTapeDml.Backends.TorchSharp.Models;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Properties.Backends;
using AdaTapeDml.Properties.Onnx;
using static TorchSharp.torch;

namespace AdaTapeDml.Properties.Avit;

/// <summary>Tiny seeded A-ViT models with random weights whose tokens halt at every depth, and the knife-edge rule of
/// their comparisons.</summary>
public static class AvitTestModels
{
    /// <summary>A depth-3 A-ViT on images, patch 7: 16 patches + CLS = 17 tokens.</summary>
    public static readonly RunSpec Images = OnnxTestModels.Specs["avit-image"];

    public static AvitModelSpec Model(RunSpec spec) => (AvitModelSpec)spec.Model;

    /// <summary>The model of <paramref name="spec"/> with every weight noised by the seed (as the ONNX tests' weight files).</summary>
    public static AvitModel Random(RunSpec spec, int seed)
    {
        random.manual_seed(seed);
        var model = (AvitModel)ModelFactory.Create(spec.Model, spec.Task);
        using (no_grad())
            foreach (var (_, p) in model.named_parameters()) p.add_(randn_like(p) * 0.3);
        model.eval();
        return model;
    }

    /// <summary>How close to the threshold 1 - eps a cumulative score may come before a float difference of kernels (or
    /// of summation order) may flip whether the token halts there.</summary>
    public const float KnifeEdgeMargin = 1e-4f;

    /// <summary>Whether any token's cumulative score, at any layer before the last, lies within the margin of the threshold.</summary>
    public static bool IsKnifeEdge(IEnumerable<float[]> cumulativePerLayer, TokenHaltingSpec halting)
    {
        var threshold = (float)(1 - halting.Eps);
        return cumulativePerLayer.SkipLast(1).Any(layer => layer.Any(c => Math.Abs(c - threshold) < KnifeEdgeMargin));
    }
}
