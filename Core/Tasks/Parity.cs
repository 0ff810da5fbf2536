using System.Diagnostics.Contracts;

namespace AdaTapeDml.Core.Tasks;

/// <summary>The parity task's definitions: labels and the one-hot encoding of the reference (one-hot of x + 1).</summary>
public static class Parity
{
    /// <summary>Channels of the one-hot encoding: index 0 is -1, 1 is 0, 2 is +1.</summary>
    public const int Channels = 3;

    /// <summary>Count of +1 elements, mod 2.</summary>
    [Pure]
    public static int LabelOf(ReadOnlySpan<sbyte> sequence)
    {
        var ones = 0;
        foreach (var x in sequence) if (x == 1) ones++;
        return ones % 2;
    }

    /// <summary>Writes the one-hot rows [L, 3] of a sequence into <paramref name="destination"/>.</summary>
    public static void WriteOneHot(ReadOnlySpan<sbyte> sequence, Span<float> destination)
    {
        if (destination.Length != sequence.Length * Channels)
            throw new ArgumentException($"one-hot destination needs {sequence.Length * Channels} floats, got {destination.Length}");
        destination.Clear();
        for (var i = 0; i < sequence.Length; i++)
        {
            var x = sequence[i];
            if (x is < -1 or > 1) throw new ArgumentOutOfRangeException(nameof(sequence), x, $"parity element {i} must be -1, 0 or 1");
            destination[i * Channels + x + 1] = 1f;
        }
    }

    /// <summary>The channel (0..2) of a one-hot element row of 3 values: exactly one 1 and two 0s; -1 for any other row.</summary>
    [Pure]
    public static int ChannelOf(ReadOnlySpan<float> row)
    {
        if (row.Length != Channels) return -1;
        var channel = -1;
        for (var c = 0; c < Channels; c++)
        {
            if (row[c] == 1f && channel < 0) channel = c;
            else if (row[c] != 0f) return -1;
        }
        return channel;
    }

    /// <summary>One-hot batch [B, L, 3], row-major.</summary>
    [Pure]
    public static float[] OneHot(IReadOnlyList<sbyte[]> sequences, int seqLen)
    {
        var data = new float[sequences.Count * seqLen * Channels];
        for (var b = 0; b < sequences.Count; b++)
            WriteOneHot(sequences[b], data.AsSpan(b * seqLen * Channels, seqLen * Channels));
        return data;
    }
}
