using System.Diagnostics.Contracts;
using AdaTapeDml.Core.Numerics;
using AdaTapeDml.Core.Specs;

namespace AdaTapeDml.Core.Atr;

/// <summary>Adaptive Tape Reading in plain C#, one sample at a time: the oracle every backend is tested against.
/// Follows adatape-algorithm.md section 3 with this project's corrections: each sample's own scores, m &gt;= 1,
/// and a bank that runs out stops the sample instead of re-reading entries.
/// Ties in scores go to the lower bank index. Scores, softmax and sums accumulate in double and are stored as float;
/// the halting sum stays in double.</summary>
public static class ReferenceAtr
{
    /// <summary>Reads one sample's tape.</summary>
    /// <param name="query">The pooled query, D features, before the shared LayerNorm.</param>
    /// <param name="bank">The sample's bank, N rows of D features, before the shared LayerNorm.</param>
    /// <param name="norm">The LayerNorm shared by query and bank.</param>
    /// <param name="config">ATR knobs.</param>
    /// <param name="perturbation">Training-time noise and hidden entries; null in evaluation.</param>
    [Pure]
    public static AtrSampleResult Read(float[] query, IReadOnlyList<float[]> bank, LayerNormParams norm, AtrConfig config, AtrPerturbation? perturbation = null)
    {
        var noisy = perturbation is null ? query : query.Select((v, i) => v + perturbation.QueryNoise[i]).ToArray();
        var normalized = NormalizedBank.From(bank, norm);
        var state = Start(norm.Apply(noisy), normalized.Size, config, perturbation?.Hidden);
        for (var t = 0; t < config.MaxSteps && state.IsRunning; t++)
            state = Step(state, normalized, config);
        var stop = state.IsRunning ? AtrStopReason.StepLimit : state.StopReason;
        return new AtrSampleResult(state.Steps, state.TapeTokens.ToArray(), state.HaltingSum, stop, state.Loss);
    }

    /// <summary>The state before the first step: the normalised query cut to dk, nothing read, hidden entries masked.</summary>
    [Pure]
    public static AtrState Start(float[] normalizedQuery, int bankSize, AtrConfig config, bool[]? hidden = null) =>
        new(normalizedQuery[..config.KeyWidth], 0.0, 0f, hidden is null ? new bool[bankSize] : (bool[])hidden.Clone(),
            AtrStopReason.Running, [], []);

    /// <summary>One ATR step of a running sample (a halted sample is returned unchanged).</summary>
    [Pure]
    public static AtrState Step(AtrState state, NormalizedBank bank, AtrConfig config)
    {
        if (!state.IsRunning) return state;
        var scores = Scores(state.Query, bank);                                                      // s = K q
        var idx = TopUnread(scores, state.Read, config.Candidates);                                  // k best unread entries
        if (idx.Length == 0) return state with { StopReason = AtrStopReason.BankExhausted };          // nothing left to read
        var w = Softmax(idx.Select(i => scores[i] / Math.Sqrt(config.KeyWidth)).ToArray());           // w = softmax(s[idx] / sqrt(dk))
        var loss = StepLoss(w, config.LossType);                                                     // l = 1 - sum w^2 | 1 - max w
        var d = Increment(w, config.TokensPerStep);                                                  // d = sum of the first m weights
        var halts = state.HaltingSum + d >= config.Threshold;                                        // halts now?
        var h = halts ? config.Threshold : state.HaltingSum + d;                                     // h += d, clamped to tau
        var tokens = MergeTokens(idx, w, bank, config.TokensPerStep);                                // m tokens from the k candidates
        var merged = Merge(idx, w, bank);                                                            // all k merged: the query's tape_t
        var read = (bool[])state.Read.Clone();
        foreach (var i in idx) read[i] = true;                                                       // all k are masked for later steps
        var query = config.ComplexQuery                                                              // q = (q + tape_t[:dk]) / 2 | tape_t[:dk]
            ? state.Query.Select((q, j) => (float)((q + (double)merged[j]) / 2)).ToArray()
            : merged[..config.KeyWidth];
        var record = new AtrStepRecord(idx, w, d, loss, h);
        return new AtrState(query, h, state.Loss + loss, read, halts ? AtrStopReason.Halted : AtrStopReason.Running,
            [.. state.Steps, record], [.. state.TapeTokens, .. tokens]);
    }

    /// <summary>s = K q over the whole bank (K = first dk features of each normalised row).</summary>
    [Pure]
    public static float[] Scores(float[] query, NormalizedBank bank)
    {
        var scores = new float[bank.Size];
        for (var i = 0; i < bank.Size; i++)
        {
            double s = 0;
            for (var j = 0; j < query.Length; j++) s += (double)bank.Rows[i][j] * query[j];
            scores[i] = (float)s;
        }
        return scores;
    }

    /// <summary>Indices of the up to <paramref name="k"/> highest-scoring unread entries, best first; ties to the lower index.</summary>
    [Pure]
    public static int[] TopUnread(float[] scores, bool[] read, int k) =>
        Enumerable.Range(0, scores.Length)
            .Where(i => !read[i])
            .OrderByDescending(i => scores[i]).ThenBy(i => i)
            .Take(k)
            .ToArray();

    /// <summary>Numerically stable softmax, computed in double.</summary>
    [Pure]
    public static float[] Softmax(double[] logits)
    {
        var max = logits.Max();
        var exp = logits.Select(x => Math.Exp(x - max)).ToArray();
        var sum = exp.Sum();
        return exp.Select(e => (float)(e / sum)).ToArray();
    }

    /// <summary>The per-step loss that sharpens the weights.</summary>
    [Pure]
    public static float StepLoss(float[] w, ActLossType type) => type switch
    {
        ActLossType.Entropy => (float)(1.0 - w.Sum(x => (double)x * x)),
        ActLossType.Max => 1f - w.Max(),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown ATR loss type"),
    };

    /// <summary>d, the sum of the first m weights. When the step merged at most m entries d is exactly 1
    /// (mathematically it is; rounding must not make a tau-integer threshold take an extra step). Never above 1.</summary>
    [Pure]
    public static float Increment(float[] w, int tokensPerStep) =>
        w.Length <= tokensPerStep ? 1f : Math.Min(1f, (float)w.Take(tokensPerStep).Sum(x => (double)x));

    /// <summary>The m tape tokens of a step: token j sums w_r V[idx_r] over the candidates whose rank r has r mod m = j,
    /// so the m tokens add up to the merged token of m = 1. A token with no candidate (bank nearly exhausted) is zero.</summary>
    [Pure]
    public static float[][] MergeTokens(int[] idx, float[] w, NormalizedBank bank, int tokensPerStep)
    {
        var width = bank.Rows[0].Length;
        var sums = new double[tokensPerStep, width];
        for (var r = 0; r < idx.Length; r++)
            for (var j = 0; j < width; j++)
                sums[r % tokensPerStep, j] += (double)w[r] * bank.Rows[idx[r]][j];
        return Enumerable.Range(0, tokensPerStep)
            .Select(t => Enumerable.Range(0, width).Select(j => (float)sums[t, j]).ToArray())
            .ToArray();
    }

    /// <summary>tape_t = sum_i w_i V[idx_i] over all the step's candidates.</summary>
    [Pure]
    public static float[] Merge(int[] idx, float[] w, NormalizedBank bank) => MergeTokens(idx, w, bank, 1)[0];
}
