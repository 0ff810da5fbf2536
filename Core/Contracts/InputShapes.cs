using System.Diagnostics.Contracts;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Core.Tasks;

namespace AdaTapeDml.Core.Contracts;

/// <summary>The per-sample input shape of a task, and the check every backend applies before a tensor is built.</summary>
public static class InputShapes
{
    /// <summary>[L, 3] for parity, [1, 28, 28] for images.</summary>
    [Pure]
    public static long[] Of(TaskSpec task) => task switch
    {
        ParityTaskSpec p => [p.SeqLen, Parity.Channels],
        FashionMnistTaskSpec => [1, FashionMnistTaskSpec.ImageSize, FashionMnistTaskSpec.ImageSize],
        _ => throw new ArgumentOutOfRangeException(nameof(task), task, "unknown task kind"),
    };

    /// <summary>Values per sample.</summary>
    [Pure]
    public static int ElementsOf(TaskSpec task) => (int)Of(task).Aggregate(1L, (a, b) => a * b);

    /// <summary>Null when <paramref name="inputs"/> holds <paramref name="count"/> finite samples of the task's shape,
    /// else a one-line description of what is wrong.</summary>
    [Pure]
    public static string? Problem(TaskSpec task, float[] inputs, int count)
    {
        var per = ElementsOf(task);
        if (count < 1) return $"a batch needs at least 1 sample, got {count}";
        if (inputs.Length != count * per)
            return $"input has {inputs.Length} values; {count} samples of shape [{string.Join(", ", Of(task))}] need {count * per}";
        var bad = Array.FindIndex(inputs, v => !float.IsFinite(v));
        if (bad >= 0) return $"input value {bad} (sample {bad / per}) is {inputs[bad]}; inputs must be finite numbers";
        return task is ParityTaskSpec ? NotOneHot(inputs) : null;
    }

    /// <summary>Parity inputs are one-hot elements (the task's encoding, which every parity model was trained on and the
    /// lookup bank relies on); the first element that is not, described, or null.</summary>
    private static string? NotOneHot(float[] inputs)
    {
        for (var e = 0; e < inputs.Length / Parity.Channels; e++)
        {
            var row = inputs.AsSpan(e * Parity.Channels, Parity.Channels);
            if (Parity.ChannelOf(row) < 0)
                return $"parity element {e} is [{string.Join(", ", row.ToArray())}]; each element must be a one-hot row of 3 values ([1, 0, 0] for -1, [0, 1, 0] for 0, [0, 0, 1] for 1)";
        }
        return null;
    }
}
