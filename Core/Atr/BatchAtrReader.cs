using System.Numerics;
using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Numerics;

namespace AdaTapeDml.Core.Atr;

/// <summary>Reads the tapes of one sample after another for <see cref="BatchAtr"/>, into the batch's output arrays.
/// One reader per thread: it owns every scratch buffer, so a sample allocates nothing but its trace. The arithmetic is
/// <see cref="ReferenceAtr"/>'s, operation for operation and in the same order, so results are bit-identical; the comments
/// name the oracle function each part reproduces.</summary>
internal sealed class BatchAtrReader
{
    private readonly ReadOnlyMemory<float> queries;
    private readonly ReadOnlyMemory<float> bank;
    private readonly float[] gamma, beta;
    private readonly int bankSize, width, keyWidth, tokensPerStep, candidates, maxSteps, maxTape;
    private readonly double threshold, keyScale;
    private readonly bool complexQuery;

    // A shared bank is normalised once by the caller: values are its rows, keys their first dk features.
    private readonly float[]? sharedValues;

    // Keys of the current sample (the shared bank's, or this reader's own), transposed: feature j of row i at
    // j * keyStride + i, so a score accumulates several rows at once, one per vector lane, each in feature order.
    private readonly float[] keys;
    private readonly int keyStride;

    // A per-sample bank keeps each row's LayerNorm statistics; a value row is normalised only when the row is read.
    private readonly double[] means, inverses;
    private readonly float[] valueRow;

    private readonly float[] query, scores, weights;
    private readonly bool[] read;
    private readonly int[] top;
    private readonly double[] exps, tokenSums, mergedSums;
    private readonly TapeReadStep[]? trace;
    private int sample;

    private readonly BatchAtrResult result;

    /// <param name="shared">The shared bank's normalised rows and transposed keys (<see cref="TransposedKeys"/>); null
    /// for per-sample banks.</param>
    public BatchAtrReader(ReadOnlyMemory<float> queries, ReadOnlyMemory<float> bank, int bankSize, (float[] Values, float[] Keys)? shared,
        LayerNormParams norm, AtrConfig config, bool trace, BatchAtrResult result)
    {
        (this.queries, this.bank, this.bankSize, sharedValues, this.result) = (queries, bank, bankSize, shared?.Values, result);
        (gamma, beta, width) = (norm.Gamma, norm.Beta, norm.Gamma.Length);
        (keyWidth, tokensPerStep, maxSteps, maxTape) = (config.KeyWidth, config.TokensPerStep, config.MaxSteps, config.NumTapeTokens);
        (threshold, complexQuery) = (config.Threshold, config.ComplexQuery);
        candidates = Math.Max(0, Math.Min(config.Candidates, bankSize));                      // never more than the bank holds
        keyScale = Math.Sqrt(keyWidth);
        keyStride = KeyStride(bankSize);
        keys = shared?.Keys ?? new float[keyWidth * keyStride];
        (means, inverses, valueRow) = (new double[bankSize], new double[bankSize], new float[width]);
        query = new float[keyWidth];
        (scores, read) = (new float[keyStride], new bool[bankSize]);
        (top, exps, weights) = (new int[candidates], new double[candidates], new float[candidates]);
        (tokenSums, mergedSums) = (new double[tokensPerStep * width], new double[keyWidth]);
        this.trace = trace ? new TapeReadStep[maxSteps] : null;
    }

    /// <summary>Rows per key feature in the transposed keys: the bank size rounded up to whole vectors (the padding is zero).</summary>
    public static int KeyStride(int bankSize) => (bankSize + Vector<float>.Count - 1) / Vector<float>.Count * Vector<float>.Count;

    /// <summary>The first dk features of normalised rows [N, D], transposed as a reader expects them.</summary>
    public static float[] TransposedKeys(float[] rows, int bankSize, int width, int keyWidth)
    {
        var stride = KeyStride(bankSize);
        var keys = new float[keyWidth * stride];
        for (var i = 0; i < bankSize; i++)
            for (var j = 0; j < keyWidth; j++) keys[j * stride + i] = rows[i * width + j];
        return keys;
    }

    /// <summary>Reads sample <paramref name="b"/> into the result's row b (its tape rows must still be zero).</summary>
    public void Read(int b)
    {
        StartSample(b);
        var h = 0.0;
        var steps = 0;
        var tape = result.Tape.AsSpan(b * maxTape * width, maxTape * width);
        while (steps < maxSteps)
        {
            Score();
            var n = TopUnread();
            if (n == 0) break;                                                                 // the bank ran out: no step
            Softmax(n);
            var d = n <= tokensPerStep ? 1f : Increment();
            var halts = h + d >= threshold;
            h = halts ? threshold : h + d;
            MergeTokens(n, tape.Slice(steps * tokensPerStep * width, tokensPerStep * width));
            UpdateQuery();
            if (trace is not null) trace[steps] = new TapeReadStep(top.AsSpan(0, n).ToArray(), weights.AsSpan(0, n).ToArray());
            steps++;
            if (halts) break;
        }
        result.Steps[b] = steps;
        result.Lengths[b] = steps * tokensPerStep;
        if (trace is not null) result.Trace![b] = trace.AsSpan(0, steps).ToArray();
    }

    /// <summary>ReferenceAtr.Start: the normalised query cut to dk, nothing read; a per-sample bank's keys and statistics.</summary>
    private void StartSample(int b)
    {
        sample = b;
        var q = queries.Span.Slice(b * width, width);
        var (mean, inverse) = LayerNormRows.Statistics(q);
        LayerNormRows.Map(q, mean, inverse, gamma, beta, query);
        Array.Clear(read);
        if (sharedValues is not null) return;
        var rows = bank.Span.Slice(b * bankSize * width, bankSize * width);
        for (var i = 0; i < bankSize; i++)
        {
            var row = rows.Slice(i * width, width);
            (means[i], inverses[i]) = LayerNormRows.Statistics(row);
            LayerNormRows.Map(row, means[i], inverses[i], gamma, beta, valueRow.AsSpan(0, keyWidth));
            for (var j = 0; j < keyWidth; j++) keys[j * keyStride + i] = valueRow[j];
        }
    }

    /// <summary>ReferenceAtr.Scores, a vector of rows at a time: lane i adds (double)K[i][j] * q[j] in j order from 0 and
    /// rounds to float, exactly the oracle's scalar sum (separate multiply and add, no fused multiply-add). Lanes run
    /// independently, so the dependent additions of several rows overlap; read rows are scored too and ignored.</summary>
    private void Score()
    {
        var lanes = Vector<float>.Count;
        for (var i = 0; i < keyStride; i += lanes)
        {
            var (low, high) = (Vector<double>.Zero, Vector<double>.Zero);
            for (var j = 0; j < keyWidth; j++)
            {
                Vector.Widen(new Vector<float>(keys, j * keyStride + i), out var keyLow, out var keyHigh);
                var q = new Vector<double>((double)query[j]);
                low += keyLow * q;
                high += keyHigh * q;
            }
            Vector.Narrow(low, high).CopyTo(scores, i);
        }
    }

    /// <summary>ReferenceAtr.TopUnread by insertion into a sorted list of at most k: entries arrive in index order, so an
    /// entry goes ahead of a kept one only on a strictly higher score (float.CompareTo, the sort's comparer), which keeps
    /// ties with the lower index first. Marks the chosen entries read; returns how many.</summary>
    private int TopUnread()
    {
        var n = 0;
        for (var i = 0; i < bankSize; i++)
        {
            if (read[i]) continue;
            var s = scores[i];
            if (n == candidates)
            {
                if (n == 0 || s.CompareTo(scores[top[n - 1]]) <= 0) continue;
                n--;                                                                           // the last kept one drops out
            }
            var p = n;
            for (; p > 0 && s.CompareTo(scores[top[p - 1]]) > 0; p--) top[p] = top[p - 1];
            top[p] = i;
            n++;
        }
        for (var r = 0; r < n; r++) read[top[r]] = true;
        return n;
    }

    /// <summary>ReferenceAtr.Softmax of score / sqrt(dk) over the chosen entries, in double, stored as float.</summary>
    private void Softmax(int n)
    {
        var max = double.NegativeInfinity;
        for (var r = 0; r < n; r++) max = Math.Max(max, scores[top[r]] / keyScale);
        var sum = 0.0;
        for (var r = 0; r < n; r++) sum += exps[r] = Math.Exp(scores[top[r]] / keyScale - max);
        for (var r = 0; r < n; r++) weights[r] = (float)(exps[r] / sum);
    }

    /// <summary>ReferenceAtr.Increment when more than m entries were merged: the first m weights summed in double, at most 1.</summary>
    private float Increment()
    {
        var sum = 0.0;
        for (var r = 0; r < tokensPerStep; r++) sum += weights[r];
        return Math.Min(1f, (float)sum);
    }

    /// <summary>ReferenceAtr.MergeTokens into the step's m tape rows, and alongside, in the same rank order, the first dk
    /// features of ReferenceAtr.Merge (all k candidates) that the next query needs.</summary>
    private void MergeTokens(int n, Span<float> tokens)
    {
        Array.Clear(tokenSums);
        Array.Clear(mergedSums);
        for (var r = 0; r < n; r++)
        {
            var value = Value(top[r]);
            var w = (double)weights[r];
            var sums = tokenSums.AsSpan(r % tokensPerStep * width, width);
            for (var j = 0; j < width; j++) sums[j] += w * value[j];
            for (var j = 0; j < keyWidth; j++) mergedSums[j] += w * value[j];
        }
        for (var j = 0; j < tokens.Length; j++) tokens[j] = (float)tokenSums[j];
    }

    /// <summary>The step's next query, as ReferenceAtr.Step: (q + tape_t[:dk]) / 2 in double, or tape_t[:dk].</summary>
    private void UpdateQuery()
    {
        for (var j = 0; j < keyWidth; j++)
        {
            var merged = (float)mergedSums[j];
            query[j] = complexQuery ? (float)((query[j] + (double)merged) / 2) : merged;
        }
    }

    /// <summary>Normalised row i of the sample's bank: the shared bank's row, or a per-sample row normalised now.</summary>
    private ReadOnlySpan<float> Value(int i)
    {
        if (sharedValues is not null) return sharedValues.AsSpan(i * width, width);
        var row = bank.Span.Slice((sample * bankSize + i) * width, width);
        LayerNormRows.Map(row, means[i], inverses[i], gamma, beta, valueRow);
        return valueRow;
    }
}
