using System.Text.Json.Serialization;

namespace AdaTapeDml.Core.Specs;

/// <summary>The optimizer of a run.</summary>
public enum OptimizerKind
{
    /// <summary>AdamW with decoupled weight decay: the reference.</summary>
    [JsonStringEnumMemberName("adamw")] AdamW,
}

/// <summary>Everything about how a model is trained.</summary>
/// <param name="Optimizer">adamw: the reference.</param>
/// <param name="LearningRate">Peak learning rate. 1e-3: the reference.</param>
/// <param name="Beta1">AdamW beta1. 0.9: the reference.</param>
/// <param name="Beta2">AdamW beta2. 0.999: the reference.</param>
/// <param name="WeightDecay">Decoupled weight decay. 0.1: the reference.</param>
/// <param name="WarmupSteps">Linear warm-up steps. 200: about 5% of the default run (the reference warms up 10k of ~94k steps).</param>
/// <param name="Cosine">Cosine decay to 0 after warm-up (else constant). true: the reference.</param>
/// <param name="ClipNorm">Global gradient-norm clip; 0 = off. 1.0: the reference.</param>
/// <param name="BatchSize">Examples per step. 256: `adatape bench train` shows the AdaTape parity step using a larger share of
/// the CPU's matmul rate than at 128 (fewer, larger kernels per example), and parity still trains in 4000 steps.</param>
/// <param name="Steps">Optimizer steps. 4000: enough for AdaTape to solve parity of length 16.</param>
/// <param name="Seed">Seed of initialisation, data order and training noise.</param>
/// <param name="EvalInterval">Steps between held-out evaluations. 250.</param>
/// <param name="CheckpointInterval">Steps between checkpoints. 500: a lost run repeats at most a few minutes.</param>
/// <param name="LabelSmoothing">Share of each target spread evenly over all classes; 0 = plain cross-entropy. 0: parity's
/// labels are exact (the image experiment sets 0.1, the ViT recipe's value against over-confident logits).</param>
public sealed record TrainingSpec(
    OptimizerKind Optimizer = OptimizerKind.AdamW,
    double LearningRate = 1e-3,
    double Beta1 = 0.9,
    double Beta2 = 0.999,
    double WeightDecay = 0.1,
    int WarmupSteps = 200,
    bool Cosine = true,
    double ClipNorm = 1.0,
    int BatchSize = 256,
    int Steps = 4000,
    int Seed = 0,
    int EvalInterval = 250,
    int CheckpointInterval = 500,
    double LabelSmoothing = 0.0);
