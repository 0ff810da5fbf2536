namespace AdaTapeDml.Core.Specs;

/// <summary>A-ViT's per-token halting (Yin et al. 2022): the score h = sigmoid(gateScale * x[0] - gateCenter) read from
/// embedding channel 0 after each block; a token halts once its cumulative score passes 1 - eps. Defaults are for a
/// small ViT (depth 4-6) trained from scratch on Fashion-MNIST; they were chosen by reasoning and one short measurement,
/// not by a tuning sweep. Measured (width 32, depth 4, 300 steps at batch 64, seed 0): the tokens' mean depth fell to
/// 1.0-1.4 of 4 within the first 15 steps and stayed there (56.8% test accuracy); with gateCenter 20 it was 1.0 at step
/// 15 and 1.7-2.3 from step 60 on (training loss at step 270: 1.10 against 1.15; that run was stopped before its eval). AdamW
/// moves the few weights that write channel 0 at the learning rate whatever the ponder weight, so an image experiment
/// should tune these (e.g. warm the halting losses up) rather than trust them.</summary>
/// <param name="GateScale">gamma. 10: the paper's value; h moves from 0.1 to 0.9 as channel 0 moves by 0.44.</param>
/// <param name="GateCenter">beta. 5: h = 0.5 at channel 0 = 0.5. At initialisation channel 0 depends on the seed: on
/// 500 test images a width-128 model ran every token to full depth at centres 5 to 30, a width-32 one halted every token
/// at layer 0 at centre 5 and 98% at 10 (mean depth 1.8 at 15, 3.5 at 20, 4 at 30). The paper's 30-75 assume a
/// pretrained DeiT. It is also the inference-time knob: on the measured model, centres -2..10 moved the mean depth
/// smoothly from 1.02 to 2.10 (1 - eps from 0.1 to 0.999 moved it only from 1.05 to 1.67).</param>
/// <param name="Eps">A token halts when its cumulative score exceeds 1 - eps. 0.01: the paper's value.</param>
/// <param name="PonderScale">Weight of the ponder loss mean(rho). 5e-3: rho is about the depth (4-6), so the term starts
/// near 0.025, a tenth of a trained cross-entropy (the paper's 5e-4 is for 197 tokens and 12 layers of a pretrained
/// model).</param>
/// <param name="PriorWeight">Weight of the KL between the Gaussian prior and the halting distribution over layers. 1e-2:
/// the reference code's default.</param>
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
