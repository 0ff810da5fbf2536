namespace AdaTapeDml.Core.Specs;

/// <summary>A-ViT's per-token halting (Yin et al. 2022): the score h = sigmoid(gateScale * x[0] - gateCenter) read from
/// embedding channel 0 after each block; a token halts once its cumulative score passes 1 - eps. Defaults are for a
/// small ViT (depth 4-6) trained from scratch on Fashion-MNIST; they were chosen by reasoning, not by a tuning sweep.</summary>
/// <param name="GateScale">gamma. 10: the paper's value; h moves from 0.1 to 0.9 as channel 0 moves by 0.44.</param>
/// <param name="GateCenter">beta. 5: channel 0 starts near 0 (h ~ 0.007, every token runs to the last layer) and the
/// gate opens (h = 0.5) at channel 0 = 0.5, a value the residual stream reaches easily; the paper's 30-75 assume the
/// large activations of a pretrained DeiT.</param>
/// <param name="Eps">A token halts when its cumulative score exceeds 1 - eps. 0.01: the paper's value.</param>
/// <param name="PonderScale">Weight of the ponder loss mean(rho). 5e-3: rho is about the depth (4-6), so the term starts
/// near 0.025, a tenth of a trained cross-entropy: it trims depth without starving accuracy (the paper's 5e-4 is for
/// 197 tokens and 12 layers of a pretrained model).</param>
/// <param name="PriorWeight">Weight of the KL between the Gaussian prior and the halting distribution over layers. 1e-2:
/// the reference code's default; strong enough to spread halting over layers from the first steps.</param>
/// <param name="PriorTargetDepth">Layer index (0-based) the prior centres on. 2: two thirds of a depth-4 encoder's
/// layers, the ratio of the paper's target (8 of 12).</param>
/// <param name="PriorStd">Standard deviation of the prior, in layers. 1: the paper's value.</param>
public sealed record TokenHaltingSpec(
    double GateScale = 10.0,
    double GateCenter = 5.0,
    double Eps = 0.01,
    double PonderScale = 5e-3,
    double PriorWeight = 1e-2,
    int PriorTargetDepth = 2,
    double PriorStd = 1.0);
