namespace AdaTapeDml.Core.Contracts;

/// <summary>The READ stage's output for a batch, in backend-neutral arrays so that samples from different READ batches
/// can be regrouped by tape length before ENCODE.</summary>
/// <param name="Count">B, samples.</param>
/// <param name="Tokens">n, input tokens per sample entering the tape layer (CLS included).</param>
/// <param name="Width">D.</param>
/// <param name="MaxTape">T, tape slots per sample in <paramref name="Tape"/>.</param>
/// <param name="Hidden">[B, n, D] hidden states after the blocks before the tape layer.</param>
/// <param name="Tape">[B, T, D] tape tokens as the ATR merged them (ENCODE applies the tape MLP, at the length it is
/// given); slots at or beyond a sample's length are padding.</param>
/// <param name="Lengths">[B] tape lengths.</param>
/// <param name="Trace">Per sample, what each ATR step it took read; only from a session opened to trace (inference
/// without a trace neither computes nor copies it).</param>
public sealed record TapeReadBatch(int Count, int Tokens, int Width, int MaxTape, float[] Hidden, float[] Tape, int[] Lengths,
    TapeReadStep[][]? Trace = null)
{
    /// <summary>Hidden states of sample <paramref name="b"/>: n x D values.</summary>
    public ReadOnlySpan<float> HiddenOf(int b) => Hidden.AsSpan(b * Tokens * Width, Tokens * Width);

    /// <summary>The first <paramref name="slots"/> tape tokens of sample <paramref name="b"/>: slots x D values.</summary>
    public ReadOnlySpan<float> TapeOf(int b, int slots) => Tape.AsSpan(b * MaxTape * Width, slots * Width);
}
