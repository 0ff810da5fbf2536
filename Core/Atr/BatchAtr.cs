using System.Collections.Concurrent;
using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Numerics;

namespace AdaTapeDml.Core.Atr;

/// <summary>Adaptive Tape Reading for a whole batch on the host, for inference between a backend's READ graph (pre-norm
/// pooled queries and banks) and the ENCODE stage. Bit-identical to <see cref="ReferenceAtr"/> sample by sample: the
/// same arithmetic in the same order (see <see cref="BatchAtrReader"/>), without its per-step allocations and sorting.
/// Large batches are read in parallel; each sample writes only its own rows, so threading never changes a result.</summary>
public static class BatchAtr
{
    /// <summary>Estimated work (<see cref="Work"/>) from which samples are read in parallel; below it threads cost more
    /// than they save. Measured on 2 cores, N 16, D 128, dk 32, T 10, k 5, with libtorch's OpenMP worker busy as it is right
    /// after a READ graph: per-sample banks, 64 samples 0.80 ms on the calling thread against 0.86 ms in parallel, 128
    /// samples 1.65 ms against 1.08 ms; the parity lookup bank (3 rows), 256 samples 0.88-0.99 ms against 1.23 ms, 1024
    /// samples 4.0-4.2 ms against 3.4-3.7 ms. Those four batches weigh 1.46 M, 2.92 M, 1.64 M and 6.55 M.</summary>
    public const long ParallelWork = 1L << 21;

    /// <summary>What one bank value normalised per sample costs, in the multiply-adds of a step's merge: the per-sample
    /// bank above took 12.9 us a sample against the lookup bank's 3.6 us, so its 2048 normalised values cost about
    /// 4.5 ns each, and a merge multiply-add about 0.56 ns (3.6 us over 10 steps x 5 candidates x 128 features).</summary>
    public const long NormalizedValueCost = 8;

    /// <summary>A batch's estimated work: per sample, the bank values it normalises (none for a bank normalised once per
    /// call) at <see cref="NormalizedValueCost"/> each, and the multiply-adds of its longest read (S steps x k x D).</summary>
    public static long Work(int count, AtrBank bank, int width, AtrConfig config)
    {
        var normalized = bank.RowsOnce(width) > 0 ? 0L : (long)bank.Size * width * NormalizedValueCost;
        var merged = (long)config.MaxSteps * BatchAtrReader.CandidatesOf(config, bank.Size) * width;
        return Math.Max(0, count) * (normalized + merged);
    }

    /// <summary>Whether <see cref="Read"/> reads this batch on several threads (results never depend on it).</summary>
    public static bool ReadsInParallel(int count, AtrBank bank, int width, AtrConfig config) =>
        count >= 2 && Environment.ProcessorCount >= 2 && Work(count, bank, width, config) >= ParallelWork;

    /// <summary>Reads every sample's tape (inference: no perturbation).</summary>
    /// <param name="queries">[B, D] pooled queries before the shared LayerNorm, row-major.</param>
    /// <param name="count">B, samples.</param>
    /// <param name="bank">Per-sample banks, one shared bank or a lookup table with entries (normalised once per call), before the LayerNorm.</param>
    /// <param name="norm">The LayerNorm shared by queries and bank.</param>
    /// <param name="config">ATR knobs.</param>
    /// <param name="trace">Whether to report each step's entries and weights.</param>
    /// <param name="tape">Where to write the tape: exactly B x T x D values, any contents (every value is written); null
    /// allocates it. Sessions pass a reused array (<see cref="ReusedArrays{T}"/>).</param>
    public static BatchAtrResult Read(ReadOnlyMemory<float> queries, int count, AtrBank bank, LayerNormParams norm, AtrConfig config, bool trace,
        float[]? tape = null)
    {
        var width = norm.Gamma.Length;
        Validate(queries.Length, count, bank, width, config);
        var maxTape = config.NumTapeTokens;
        var tapeLength = (long)count * maxTape * width;
        if (tapeLength > Array.MaxLength) throw new ArgumentException($"A padded tape of {tapeLength} values exceeds the largest array.", nameof(count));
        if (tape is not null && tape.Length != tapeLength)
            throw new ArgumentException($"The tape buffer holds {tape.Length} values; {count} x {maxTape} x {width} = {tapeLength} are written.", nameof(tape));
        var result = new BatchAtrResult(count, maxTape, width, tape ?? GC.AllocateUninitializedArray<float>((int)tapeLength), new int[count], new int[count], trace ? new TapeReadStep[count][] : null);
        var once = bank.RowsOnce(width);
        var sharedValues = once > 0 ? Normalize(bank.Rows.Span, once, norm) : null;
        (float[], float[])? shared = sharedValues is null ? null
            : (sharedValues, BatchAtrReader.TransposedKeys(sharedValues, once, width, config.KeyWidth));
        BatchAtrReader NewReader() => new(queries, bank, shared, norm, config, trace, result);

        if (!ReadsInParallel(count, bank, width, config))
        {
            NewReader().Read(0, count);
            return result;
        }
        // A few ranges per core balance samples that stop early against ones that read to T; one reader per range.
        var rangeSize = Math.Max(1, count / (Environment.ProcessorCount * 4));
        Parallel.ForEach(Partitioner.Create(0, count, rangeSize), range => NewReader().Read(range.Item1, range.Item2));
        return result;
    }

    /// <summary>The shared bank or lookup table after the LayerNorm, [rows, D].</summary>
    private static float[] Normalize(ReadOnlySpan<float> bank, int bankSize, LayerNormParams norm)
    {
        var width = norm.Gamma.Length;
        var rows = new float[bankSize * width];
        for (var i = 0; i < bankSize; i++)
        {
            var row = bank.Slice(i * width, width);
            var (mean, inverse) = LayerNormRows.Statistics(row);
            LayerNormRows.Map(row, mean, inverse, norm.Gamma, norm.Beta, rows.AsSpan(i * width, width));
        }
        return rows;
    }

    private static void Validate(int queryLength, int count, AtrBank bank, int width, AtrConfig config)
    {
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, "count must not be negative");
        if (bank.Size < 0) throw new ArgumentException($"A bank of {bank.Size} entries; the size must not be negative.", nameof(bank));
        if (width < 1) throw new ArgumentException("The LayerNorm has no features.", nameof(width));
        if (config.KeyWidth < 1 || config.KeyWidth > width)
            throw new ArgumentException($"Key width {config.KeyWidth} must be in 1..{width}.", nameof(config));
        if (config.TokensPerStep < 1)
            throw new ArgumentException($"Tokens per step must be at least 1, got {config.TokensPerStep}.", nameof(config));
        if (config.Candidates < 0) throw new ArgumentException("Candidates must not be negative.", nameof(config));
        if ((long)count * width != queryLength)
            throw new ArgumentException($"Expected {count} x {width} query values, got {queryLength}.", "queries");
        if (bank.Entries is { } entries)
        {
            if (bank.Rows.Length % width != 0)
                throw new ArgumentException($"A lookup table of {bank.Rows.Length} values is not whole rows of {width}.", nameof(bank));
            var rows = bank.Rows.Length / width;
            if (entries.Length != (long)count * bank.Size)
                throw new ArgumentException($"Expected {count} x {bank.Size} lookup entries, got {entries.Length}.", nameof(bank));
            if (Array.FindIndex(entries, e => e < 0 || e >= rows) is var bad and >= 0)
                throw new ArgumentException($"Lookup entry {bad} is {entries[bad]}; the table has rows 0..{rows - 1}.", nameof(bank));
            return;
        }
        var expected = (bank.IsShared ? 1L : count) * bank.Size * width;
        if (expected != bank.Rows.Length)
            throw new ArgumentException($"Expected {expected} bank values ({(bank.IsShared ? "shared " : "")}{bank.Size} x {width}), got {bank.Rows.Length}.", nameof(bank));
    }
}
