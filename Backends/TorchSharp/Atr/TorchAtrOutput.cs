using static TorchSharp.torch;

namespace AdaTapeDml.Backends.TorchSharp.Atr;

/// <summary>Batched ATR result. All tensors share the batch dimension B; S = T / m steps, k candidates per step.</summary>
/// <param name="TapeTokens">[B, T, D] merged tape tokens in reading order; slots at or beyond a sample's length are zero.</param>
/// <param name="Lengths">[B] int64 tape length n * m.</param>
/// <param name="Loss">[B] ATR loss R (sum of per-step losses).</param>
/// <param name="HaltingSum">[B] float64 final halting sum h.</param>
/// <param name="Steps">[B] int64 steps taken n.</param>
/// <param name="Indices">[B, S, k] int64 bank entries merged per step, best first; -1 where nothing was merged.</param>
/// <param name="Weights">[B, S, k] their weights; 0 where nothing was merged.</param>
public sealed record TorchAtrOutput(Tensor TapeTokens, Tensor Lengths, Tensor Loss, Tensor HaltingSum, Tensor Steps, Tensor Indices, Tensor Weights);
