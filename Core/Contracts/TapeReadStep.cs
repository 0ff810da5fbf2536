namespace AdaTapeDml.Core.Contracts;

/// <summary>What one ATR step of one sample read, as inference reports it (<c>adatape infer --trace</c>).</summary>
/// <param name="Indices">The bank entries merged at this step, best score first (k of them, fewer when the bank ran low).</param>
/// <param name="Weights">Their softmax weights, same order.</param>
public sealed record TapeReadStep(int[] Indices, float[] Weights)
{
    /// <summary>Per sample, the steps it took, from a backend's padded per-step arrays.</summary>
    /// <param name="count">B, samples.</param>
    /// <param name="maxSteps">S, steps in the arrays per sample.</param>
    /// <param name="candidates">k', candidates per step in the arrays.</param>
    /// <param name="indices">[B, S, k'] bank indices, -1 where no candidate was merged.</param>
    /// <param name="weights">[B, S, k'] their weights.</param>
    /// <param name="steps">[B] steps each sample took.</param>
    public static TapeReadStep[][] FromPadded(int count, int maxSteps, int candidates, ReadOnlySpan<long> indices, ReadOnlySpan<float> weights, int[] steps)
    {
        var trace = new TapeReadStep[count][];
        for (var b = 0; b < count; b++)
        {
            trace[b] = new TapeReadStep[steps[b]];
            for (var t = 0; t < steps[b]; t++)
            {
                var (idx, w) = (new List<int>(candidates), new List<float>(candidates));
                for (var c = 0; c < candidates; c++)
                {
                    var at = (b * maxSteps + t) * candidates + c;
                    if (indices[at] < 0) continue;
                    idx.Add((int)indices[at]);
                    w.Add(weights[at]);
                }
                trace[b][t] = new TapeReadStep([.. idx], [.. w]);
            }
        }
        return trace;
    }
}
