using AdaTapeDml.Core.Contracts;

namespace AdaTapeDml.Core.Atr;

/// <summary>The tapes <see cref="BatchAtr"/> read for a batch, padded to T tokens per sample.</summary>
/// <param name="Count">B, samples.</param>
/// <param name="MaxTape">T, tape tokens per sample in <paramref name="Tape"/> (config.NumTapeTokens).</param>
/// <param name="Width">D, features per token.</param>
/// <param name="Tape">[B, T, D] row-major: each sample's tape tokens in reading order (the oracle's TapeTokens),
/// zeros beyond its length.</param>
/// <param name="Lengths">[B] tape lengths, steps * m.</param>
/// <param name="Steps">[B] steps taken.</param>
/// <param name="Trace">Per sample per step the entries read (best first) and their weights, when a trace was asked for; else null.</param>
public sealed record BatchAtrResult(int Count, int MaxTape, int Width, float[] Tape, int[] Lengths, int[] Steps, TapeReadStep[][]? Trace);
