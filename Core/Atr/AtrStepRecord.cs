namespace AdaTapeDml.Core.Atr;

/// <summary>What one ATR step of one sample did.</summary>
/// <param name="Indices">Bank entries merged this step, best score first (k of them, fewer when the bank runs low).</param>
/// <param name="Weights">Softmax weights of those entries, same order; non-negative, summing to 1.</param>
/// <param name="Increment">d: the sum of the first m weights, added to the halting sum.</param>
/// <param name="Loss">The step's ATR loss l.</param>
/// <param name="HaltingSumAfter">The halting sum after this step (clamped to tau on the halting step).</param>
public sealed record AtrStepRecord(int[] Indices, float[] Weights, float Increment, float Loss, double HaltingSumAfter);
