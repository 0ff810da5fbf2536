using System.Diagnostics.Contracts;
using AdaTapeDml.Core.Tasks;

namespace AdaTapeDml.Core.Layout;

/// <summary>The parity bank as a lookup (<see cref="BankForm.Lookup"/>): entry i of a sample is Dense(one-hot of element
/// i) = W[:, c] + b for the element's channel c, so every entry is one of <see cref="Parity.Channels"/> table rows. The
/// table is exactly what a backend computes per element: a Linear over a one-hot row adds 1 * W[:, c] and zeros (each
/// product and partial sum exact) to b with one rounding, the same single float addition as here.</summary>
public static class LookupBank
{
    /// <summary>Rows of the table.</summary>
    public const int Rows = Parity.Channels;

    /// <summary>The table [3, D] from a torch Linear's weight [D, 3] (row-major) and bias [D].</summary>
    [Pure]
    public static float[] Table(ReadOnlySpan<float> weight, ReadOnlySpan<float> bias)
    {
        var width = bias.Length;
        if (weight.Length != width * Rows)
            throw new ArgumentException($"a lookup bank's Linear weight needs {width} x {Rows} values, got {weight.Length}", nameof(weight));
        var table = new float[Rows * width];
        for (var c = 0; c < Rows; c++)
            for (var j = 0; j < width; j++) table[c * width + j] = weight[j * Rows + c] + bias[j];
        return table;
    }

    /// <summary>[B, L] the table row of every element of <paramref name="count"/> one-hot sequences [B, L, 3].</summary>
    [Pure]
    public static int[] Entries(ReadOnlySpan<float> oneHots, int count, int seqLen)
    {
        if (oneHots.Length != count * seqLen * Rows)
            throw new ArgumentException($"expected {count} x {seqLen} x {Rows} one-hot values, got {oneHots.Length}", nameof(oneHots));
        var entries = new int[count * seqLen];
        for (var e = 0; e < entries.Length; e++)
        {
            var channel = Parity.ChannelOf(oneHots.Slice(e * Rows, Rows));
            entries[e] = channel >= 0 ? channel
                : throw new ArgumentException($"parity element {e % seqLen} of sample {e / seqLen} is not a one-hot row", nameof(oneHots));
        }
        return entries;
    }
}
