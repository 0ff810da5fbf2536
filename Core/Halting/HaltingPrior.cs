using System.Diagnostics.Contracts;
using AdaTapeDml.Core.Specs;

namespace AdaTapeDml.Core.Halting;

/// <summary>A-ViT's distributional prior: the target distribution of halting over layers that the KL term pulls the
/// model's mean halting scores towards. A Gaussian over layer indices centred on the target depth, rescaled so the
/// layers up to and including the target hold 0.98 of the mass and the later ones the rest.</summary>
public static class HaltingPrior
{
    /// <summary>Mass of the layers up to the target.</summary>
    public const double MassUpToTarget = 0.98;

    /// <summary>Lower and upper clamp of the model's normalised halting distribution before the KL (keeps log finite).</summary>
    public const double ClampLow = 0.01, ClampHigh = 0.99;

    /// <summary>The target probability of halting at each of <paramref name="depth"/> layers; sums to 1.</summary>
    [Pure]
    public static double[] Target(int depth, TokenHaltingSpec halting)
    {
        var density = Enumerable.Range(0, depth)
            .Select(l => Math.Exp(-0.5 * Math.Pow((l - halting.PriorTargetDepth) / halting.PriorStd, 2)))
            .ToArray();
        var upTo = Math.Min(halting.PriorTargetDepth, depth - 1) + 1;
        var (head, tail) = (density[..upTo].Sum(), density[upTo..].Sum());
        var headMass = tail > 0 ? MassUpToTarget : 1.0;
        return density.Select((p, l) => l < upTo ? p / head * headMass : p / tail * (1 - MassUpToTarget)).ToArray();
    }
}
