using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
    private readonly int[]? entries;
    private readonly float[] gamma, beta;
    private readonly int bankSize, width, keyWidth, tokensPerStep, candidates, maxSteps, maxTape;
    private readonly double threshold, keyScale;
    private readonly bool complexQuery;

    // A shared bank or lookup table is normalised once by the caller: values are its rows, keys their first dk features.
    private readonly float[]? sharedValues;

    // Keys of the current sample (the shared bank's, or this reader's own), transposed: feature j of row i at
    // j * keyStride + i, so a score accumulates several rows at once, one per vector lane, each in feature order.
    private readonly float[] keys;
    private readonly int keyStride;

    // A per-sample bank keeps its rows widened and transposed (LayerNormRows.Statistics) and each row's LayerNorm
    // statistics, and normalises the keys only; a value row is normalised only when the row is read, into the
    // candidate's own row of candidateRows.
    private readonly double[] columns, means, inverses;
    private readonly float[] candidateRows;

    // Where each chosen candidate's normalised row starts in candidateValues (the shared rows, or candidateRows).
    private readonly int[] candidateOffsets;
    private float[] candidateValues = [];

    // Queries are normalised a block of samples at a time (statistics vectorised across the block's queries).
    private readonly double[] queryColumns, queryMeans, queryInverses;
    private int blockStart, blockEnd;

    // Scores by key row; for a lookup, the sample's entries' scores gathered from them (else the same array).
    private readonly float[] query, scores, entryScores, weights;
    private readonly bool[] read;
    private readonly int[] top;
    private readonly double[] exps, tokenSums, mergedSums;

    // The sums the next query is cut from: the merge of all k candidates, which with m = 1 is the one token's own sums
    // (the same additions in the same order), so it is accumulated apart only when m > 1.
    private readonly double[] querySums;
    private readonly TapeReadStep[]? trace;
    private int sample;

    private readonly BatchAtrResult result;

    /// <param name="shared">The shared bank's or lookup table's normalised rows and transposed keys (<see cref="TransposedKeys"/>);
    /// null for per-sample banks.</param>
    public BatchAtrReader(ReadOnlyMemory<float> queries, AtrBank bank, (float[] Values, float[] Keys)? shared,
        LayerNormParams norm, AtrConfig config, bool trace, BatchAtrResult result)
    {
        (this.queries, this.bank, bankSize, entries, sharedValues, this.result) = (queries, bank.Rows, bank.Size, bank.Entries, shared?.Values, result);
        (gamma, beta, width) = (norm.Gamma, norm.Beta, norm.Gamma.Length);
        (keyWidth, tokensPerStep, maxSteps, maxTape) = (config.KeyWidth, config.TokensPerStep, config.MaxSteps, config.NumTapeTokens);
        (threshold, complexQuery) = (config.Threshold, config.ComplexQuery);
        candidates = CandidatesOf(config, bankSize);
        keyScale = Math.Sqrt(keyWidth);
        keyStride = KeyStride(bank.RowsOnce(width) is > 0 and var once ? once : bankSize);
        keys = shared?.Keys ?? new float[keyWidth * keyStride];
        columns = shared is null ? new double[width * keyStride] : [];
        (means, inverses) = (new double[keyStride], new double[keyStride]);
        var block = Vector<float>.Count;
        (queryColumns, queryMeans, queryInverses) = (new double[width * block], new double[block], new double[block]);
        query = new float[keyWidth];
        (scores, read) = (new float[keyStride], new bool[bankSize]);
        entryScores = entries is null ? scores : new float[bankSize];
        (top, exps, weights) = (new int[candidates], new double[candidates], new float[candidates]);
        candidateRows = shared is null ? new float[candidates * width] : [];
        candidateOffsets = new int[candidates];
        (tokenSums, mergedSums) = (new double[tokensPerStep * width], new double[keyWidth]);
        querySums = tokensPerStep > 1 ? mergedSums : tokenSums;
        this.trace = trace ? new TapeReadStep[maxSteps] : null;
    }

    /// <summary>k as a read uses it: never more than the bank holds, never negative.</summary>
    public static int CandidatesOf(AtrConfig config, int bankSize) => Math.Max(0, Math.Min(config.Candidates, bankSize));

    /// <summary>Rows per key feature in the transposed keys: the bank size rounded up to whole vectors (the padding rows
    /// are scored and never read).</summary>
    public static int KeyStride(int bankSize) => LayerNormRows.Stride(bankSize);

    /// <summary>The first dk features of normalised rows [N, D], transposed as a reader expects them.</summary>
    public static float[] TransposedKeys(float[] rows, int bankSize, int width, int keyWidth)
    {
        var stride = KeyStride(bankSize);
        var keys = new float[keyWidth * stride];
        for (var i = 0; i < bankSize; i++)
            for (var j = 0; j < keyWidth; j++) keys[j * stride + i] = rows[i * width + j];
        return keys;
    }

    /// <summary>Reads samples <paramref name="start"/> to <paramref name="end"/> (exclusive) into the result's rows.</summary>
    public void Read(int start, int end)
    {
        for (var b = start; b < end; b++) ReadSample(b, end);
    }

    /// <summary>Reads sample <paramref name="b"/> into the result's row b, zeroing the tape rows beyond its length (the tape
    /// is allocated uninitialised); queries up to <paramref name="end"/> are this reader's to normalise ahead.</summary>
    private void ReadSample(int b, int end)
    {
        StartSample(b, end);
        var h = 0.0;
        var steps = 0;
        var tape = result.Tape.AsSpan(b * maxTape * width, maxTape * width);
        while (steps < maxSteps)
        {
            Score();
            if (entries is not null) GatherEntryScores();
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
        tape[(steps * tokensPerStep * width)..].Clear();
        result.Steps[b] = steps;
        result.Lengths[b] = steps * tokensPerStep;
        if (trace is not null) result.Trace![b] = trace.AsSpan(0, steps).ToArray();
    }

    /// <summary>ReferenceAtr.Start: the normalised query cut to dk, nothing read; a per-sample bank's keys and statistics.</summary>
    private void StartSample(int b, int end)
    {
        sample = b;
        if (b < blockStart || b >= blockEnd)
        {
            (blockStart, blockEnd) = (b, Math.Min(end, b + queryMeans.Length));
            LayerNormRows.Statistics(queries.Span.Slice(b * width, (blockEnd - b) * width), blockEnd - b, width,
                queryColumns, queryMeans.Length, queryMeans, queryInverses);
        }
        LayerNormRows.Map(queries.Span.Slice(b * width, width), queryMeans[b - blockStart], queryInverses[b - blockStart], gamma, beta, query);
        Array.Clear(read);
        if (sharedValues is not null) return;
        LayerNormRows.Statistics(bank.Span.Slice(b * bankSize * width, bankSize * width), bankSize, width, columns, keyStride, means, inverses);
        NormalizeKeys();
    }

    /// <summary>The keys of a per-sample bank from its transposed rows: LayerNormRows.Map's arithmetic with a vector lane
    /// per row, for the first dk features.</summary>
    private void NormalizeKeys()
    {
        var lanes = Vector<double>.Count;
        ref var column = ref MemoryMarshal.GetArrayDataReference(columns);
        for (var g = 0; g < keyStride; g += 2 * lanes)
        {
            var (mean0, mean1) = (new Vector<double>(means, g), new Vector<double>(means, g + lanes));
            var (inverse0, inverse1) = (new Vector<double>(inverses, g), new Vector<double>(inverses, g + lanes));
            for (var j = 0; j < keyWidth; j++)
            {
                ref var x = ref Unsafe.Add(ref column, j * keyStride + g);
                var (scale, shift) = (new Vector<double>((double)gamma[j]), new Vector<double>((double)beta[j]));
                var key0 = (Vector.LoadUnsafe(ref x) - mean0) * inverse0 * scale + shift;
                var key1 = (Vector.LoadUnsafe(ref x, (nuint)lanes) - mean1) * inverse1 * scale + shift;
                Vector.Narrow(key0, key1).CopyTo(keys, j * keyStride + g);
            }
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

    /// <summary>A lookup's entry scores: entry i scores what its table row scored (the same key, so the same bits).</summary>
    private void GatherEntryScores()
    {
        var rows = entries.AsSpan(sample * bankSize, bankSize);
        for (var i = 0; i < rows.Length; i++) entryScores[i] = scores[rows[i]];
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
            var s = entryScores[i];
            if (n == candidates)
            {
                if (n == 0 || s.CompareTo(entryScores[top[n - 1]]) <= 0) continue;
                n--;                                                                           // the last kept one drops out
            }
            var p = n;
            for (; p > 0 && s.CompareTo(entryScores[top[p - 1]]) > 0; p--) top[p] = top[p - 1];
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
        for (var r = 0; r < n; r++) max = Math.Max(max, entryScores[top[r]] / keyScale);
        var sum = 0.0;
        for (var r = 0; r < n; r++) sum += exps[r] = Math.Exp(entryScores[top[r]] / keyScale - max);
        for (var r = 0; r < n; r++) weights[r] = (float)(exps[r] / sum);
    }

    /// <summary>ReferenceAtr.Increment when more than m entries were merged: the first m weights summed in double, at most 1.</summary>
    private float Increment()
    {
        var sum = 0.0;
        for (var r = 0; r < tokensPerStep; r++) sum += weights[r];
        return Math.Min(1f, (float)sum);
    }

    /// <summary>ReferenceAtr.MergeTokens into the step's m tape rows, and, when m &gt; 1, the first dk features of
    /// ReferenceAtr.Merge (all k candidates) that the next query needs. Each feature's sum runs over the candidates in
    /// rank order from zero, in a register (a vector lane per feature), as the oracle's sums do.</summary>
    private void MergeTokens(int n, Span<float> tokens)
    {
        for (var r = 0; r < n; r++) candidateOffsets[r] = ValueOffset(r);
        for (var slot = 0; slot < tokensPerStep; slot++) Sum(slot, tokensPerStep, n, tokenSums.AsSpan(slot * width, width));
        if (querySums == mergedSums) Sum(0, 1, n, mergedSums);
        var j = 0;
        if (Vector.IsHardwareAccelerated)
            for (; j <= tokens.Length - Vector<float>.Count; j += Vector<float>.Count)
                Vector.Narrow(new Vector<double>(tokenSums, j), new Vector<double>(tokenSums, j + Vector<double>.Count)).CopyTo(tokens[j..]);
        for (; j < tokens.Length; j++) tokens[j] = (float)tokenSums[j];
    }

    /// <summary>sums[j] = 0 + w_r * value_r[j] + ... over candidates r = first, first + step, ... below n, for every
    /// feature j of <paramref name="sums"/>: each term a multiply, then an add, in rank order.</summary>
    private void Sum(int first, int step, int n, Span<double> sums)
    {
        var values = candidateValues;
        var j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var lanes = Vector<double>.Count;
            // Four vectors of features per pass: four independent chains of dependent additions overlap in the pipeline.
            for (; j <= sums.Length - 4 * lanes; j += 4 * lanes)
            {
                var (a, b, c, d) = (Vector<double>.Zero, Vector<double>.Zero, Vector<double>.Zero, Vector<double>.Zero);
                for (var r = first; r < n; r += step)
                {
                    var weight = new Vector<double>((double)weights[r]);
                    var offset = candidateOffsets[r] + j;
                    Vector.Widen(new Vector<float>(values, offset), out var value0, out var value1);
                    Vector.Widen(new Vector<float>(values, offset + 2 * lanes), out var value2, out var value3);
                    a += weight * value0;
                    b += weight * value1;
                    c += weight * value2;
                    d += weight * value3;
                }
                a.CopyTo(sums[j..]);
                b.CopyTo(sums[(j + lanes)..]);
                c.CopyTo(sums[(j + 2 * lanes)..]);
                d.CopyTo(sums[(j + 3 * lanes)..]);
            }
            for (; j <= sums.Length - 2 * lanes; j += 2 * lanes)
            {
                var (low, high) = (Vector<double>.Zero, Vector<double>.Zero);
                for (var r = first; r < n; r += step)
                {
                    var weight = new Vector<double>((double)weights[r]);
                    Vector.Widen(new Vector<float>(values, candidateOffsets[r] + j), out var valueLow, out var valueHigh);
                    low += weight * valueLow;
                    high += weight * valueHigh;
                }
                low.CopyTo(sums[j..]);
                high.CopyTo(sums[(j + lanes)..]);
            }
        }
        for (; j < sums.Length; j++)
        {
            var sum = 0.0;
            for (var r = first; r < n; r += step) sum += (double)weights[r] * values[candidateOffsets[r] + j];
            sums[j] = sum;
        }
    }

    /// <summary>The step's next query, as ReferenceAtr.Step: (q + tape_t[:dk]) / 2 in double, or tape_t[:dk]; a vector lane
    /// per feature. Halving is a multiply by 0.5 (both are the exact half, rounded once, so the same bits).</summary>
    private void UpdateQuery()
    {
        var j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var (lanes, half) = (Vector<double>.Count, new Vector<double>(0.5));
            for (; j <= keyWidth - Vector<float>.Count; j += Vector<float>.Count)
            {
                var merged = Vector.Narrow(new Vector<double>(querySums, j), new Vector<double>(querySums, j + lanes));
                if (complexQuery)
                {
                    Vector.Widen(merged, out var mergedLow, out var mergedHigh);
                    Vector.Widen(new Vector<float>(query, j), out var queryLow, out var queryHigh);
                    merged = Vector.Narrow((queryLow + mergedLow) * half, (queryHigh + mergedHigh) * half);
                }
                merged.CopyTo(query, j);
            }
        }
        for (; j < keyWidth; j++)
        {
            var merged = (float)querySums[j];
            query[j] = complexQuery ? (float)((query[j] + (double)merged) * 0.5) : merged;
        }
    }

    /// <summary>Where candidate r's normalised row starts in <see cref="candidateValues"/>: the shared bank's row, the
    /// table row of a lookup entry, or a per-sample row normalised now into the candidate's own row.</summary>
    private int ValueOffset(int r)
    {
        var i = top[r];
        if (entries is not null) i = entries[sample * bankSize + i];
        if (sharedValues is not null)
        {
            candidateValues = sharedValues;
            return i * width;
        }
        candidateValues = candidateRows;
        var row = bank.Span.Slice((sample * bankSize + i) * width, width);
        LayerNormRows.Map(row, means[i], inverses[i], gamma, beta, candidateRows.AsSpan(r * width, width));
        return r * width;
    }
}
