using AdaTapeDml.Core.Contracts;
using static TorchSharp.torch;

namespace AdaTapeDml.Backends.TorchSharp.Models;

/// <summary>What a forward pass returns.</summary>
/// <param name="Logits">[B, classes].</param>
/// <param name="AuxLoss">[B] per-sample regulariser: ATR loss (AdaTape), ponder cost (UT), ponder + prior (A-ViT), zeros otherwise.</param>
/// <param name="TapeLengths">[B] int64 tape lengths (AdaTape only).</param>
/// <param name="Steps">Recurrent steps the batch computed (UT only).</param>
/// <param name="SampleSteps">[B] int64 steps until each sample's positions all halted (UT only).</param>
/// <param name="TokenDepths">[B, N] int64 layers each token went through (A-ViT only).</param>
public sealed record ModelOutput(Tensor Logits, Tensor AuxLoss, Tensor? TapeLengths = null, int? Steps = null,
    Tensor? SampleSteps = null, Tensor? TokenDepths = null)
{
    /// <summary>[B] float: each sample's adaptive statistic (tape length, UT steps, mean token depth), or null for a model
    /// that does not adapt.</summary>
    public Tensor? Statistic() =>
        TapeLengths?.to(ScalarType.Float32) ?? SampleSteps?.to(ScalarType.Float32) ?? TokenDepths?.to(ScalarType.Float32).mean([1]);

    /// <summary>The per-sample statistic as the inference contract reports it (copied to the CPU).</summary>
    public SampleCompute Compute()
    {
        if (TapeLengths is not null) return new TapeCompute(Ints(TapeLengths));
        if (SampleSteps is not null) return new HaltingStepsCompute(Ints(SampleSteps));
        if (TokenDepths is not null) return new TokenDepthCompute((int)TokenDepths.shape[1], Ints(TokenDepths));
        return new FixedCompute((int)Logits.shape[0]);
    }

    private static int[] Ints(Tensor t) => t.cpu().contiguous().data<long>().Select(v => (int)v).ToArray();
}
