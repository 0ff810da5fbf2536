namespace AdaTapeDml.Core.Contracts;

/// <summary>The READ stage's output for a batch. The session that made it keeps its backend-native values in
/// <see cref="Native"/> (e.g. the hidden states on the device) and its ENCODE uses them directly; the arrays are what
/// any other consumer sees (regrouping across batches, tests), and a session copies its hidden states out only when they
/// are asked for. Dispose it once ENCODE is done to free the native values.</summary>
/// <param name="Count">B, samples.</param>
/// <param name="Tokens">n, input tokens per sample entering the tape layer (CLS included).</param>
/// <param name="Width">D.</param>
/// <param name="MaxTape">T, tape slots per sample in <paramref name="Tape"/>.</param>
/// <param name="Hidden">[B, n, D] hidden states after the blocks before the tape layer.</param>
/// <param name="Tape">[B, T, D] tape tokens as the ATR merged them (ENCODE applies the tape MLP, at the length it is
/// given); slots at or beyond a sample's length are zero.</param>
/// <param name="Lengths">[B] tape lengths.</param>
/// <param name="Trace">Per sample, what each ATR step it took read; only from a session opened to trace.</param>
public sealed record TapeReadBatch(int Count, int Tokens, int Width, int MaxTape, float[] Hidden, float[] Tape, int[] Lengths,
    TapeReadStep[][]? Trace = null) : IDisposable
{
    private Lazy<float[]>? hiddenSource;

    /// <summary>A READ whose hidden states stay native until someone asks for them as an array.</summary>
    public TapeReadBatch(int count, int tokens, int width, int maxTape, Func<float[]> hidden, IDisposable native, float[] tape, int[] lengths,
        TapeReadStep[][]? trace)
        : this(count, tokens, width, maxTape, [], tape, lengths, trace)
    {
        hiddenSource = new Lazy<float[]>(hidden);
        Native = native;
    }

    /// <summary>[B, n, D] hidden states (copied out of <see cref="Native"/> on first use when it holds them).</summary>
    public float[] Hidden
    {
        get => hiddenSource?.Value ?? field;
        init { field = value; hiddenSource = null; }
    } = Hidden;

    /// <summary>The backend-native values of this READ, owned by the batch; only the session that made them reads them.</summary>
    public IDisposable? Native { get; }

    /// <summary>Hidden states of sample <paramref name="b"/>: n x D values.</summary>
    public ReadOnlySpan<float> HiddenOf(int b) => Hidden.AsSpan(b * Tokens * Width, Tokens * Width);

    /// <summary>The first <paramref name="slots"/> tape tokens of sample <paramref name="b"/>: slots x D values.</summary>
    public ReadOnlySpan<float> TapeOf(int b, int slots) => Tape.AsSpan(b * MaxTape * Width, slots * Width);

    public void Dispose() => Native?.Dispose();
}
