namespace AdaTapeDml.Core.Contracts;

/// <summary>What one ATR step of one sample read, as inference reports it (<c>adatape infer --trace</c>).</summary>
/// <param name="Indices">The bank entries merged at this step, best score first (k of them, fewer when the bank ran low).</param>
/// <param name="Weights">Their softmax weights, same order.</param>
public sealed record TapeReadStep(int[] Indices, float[] Weights);
