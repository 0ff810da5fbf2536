using System.Diagnostics;
using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Cost;
using AdaTapeDml.Core.Layout;
using AdaTapeDml.Core.Specs;

namespace AdaTapeDml.Pipelines.Inference;

/// <summary>Chooses packed or padded ENCODE per micro-batch from a small cost model calibrated on the calls the pipeline
/// makes: for each mode, time = rate x FLOPs (the Core cost model's ENCODE FLOPs of the call: each sample at its own
/// length when packed, every sample at the longest length when padded), the rate the median over the mode's recent calls
/// (at most <see cref="Window"/>, none older than <see cref="MaxAge"/> choices beyond the newest <see cref="Fresh"/>).
/// Until both modes have enough calls it alternates; afterwards it takes the cheaper prediction and now and then tries
/// the other mode, so a fit never goes stale. Both modes give the same predictions, so the choice only ever
/// changes speed. Thread-safe: sessions of one pipeline share it (they run the same backend).</summary>
public sealed class EncodePlanner
{
    /// <summary>Calls per mode the fit uses (the most recent).</summary>
    public const int Window = 24;
    /// <summary>Calls per mode before the fit is trusted; the first call of each mode is dropped as warm-up (sessions
    /// and graphs are created on first use).</summary>
    public const int MinimumCalls = 6;
    /// <summary>Every this many choices, the mode not predicted cheaper runs once to keep its fit current.</summary>
    public const int ExploreEvery = 32;
    /// <summary>Every this many choices while the two predictions lie within <see cref="CloseCall"/> of each other: a close
    /// call is the one that noise in the calibration decides (measured: ONNX Runtime at batch 1024 kept the packed mode,
    /// 12 % slower there, because its padded calls were timed in a slow spell), and exploring a mode that close costs at
    /// most CloseCall / ExploreEveryWhenClose of the throughput.</summary>
    public const int ExploreEveryWhenClose = 8;
    /// <summary>Relative gap between the two predictions below which the planner explores at the faster cadence.</summary>
    public const double CloseCall = 0.2;
    /// <summary>The planner leaves its current mode only for one predicted at least this much cheaper, so it does not flip
    /// between two modes that are equal within the noise (an auto round that split its two batches of 1024 between the
    /// modes measured 0.82x padded while each fixed mode measured 1.16x; why is not established).</summary>
    public const double Hysteresis = 0.05;
    /// <summary>How much cheaper than the current mode's prediction the other mode's newest call must have been for that
    /// mode to run again at once (<see cref="LatestBeats"/>). Beyond the call-to-call noise: at 5 % a bench at TorchSharp
    /// batch 64, where the modes are equal within noise, split its batches 68 / 60 between them and ran 12 % slower than
    /// either fixed mode (ENCODE calls are slower when the modes alternate).</summary>
    public const double Surprise = 0.15;

    private readonly Lock gate = new();
    private readonly Func<TimeSpan> clock;
    /// <summary>A call older than this many choices leaves its mode's fit (while the mode keeps <see cref="Fresh"/> newer
    /// ones): the fit of a mode that only runs as exploration otherwise stays made of its calibration calls for as long as
    /// it takes explorations to outnumber them. Measured: in a bench whose calibration ran while the process was still
    /// warming up, the planner expected padded ENCODE at 77 GFLOP/s on ONNX Runtime (parity, batch 256) and 47 on
    /// TorchSharp (images, batch 64) where fixed padded execution ran at 140 and 78, and it ran 31 of 32 and 62 of 64
    /// batches in the slower mode (0.85x and 0.77x of padded per batch).</summary>
    public const int MaxAge = 2 * ExploreEvery;
    /// <summary>Calls a mode keeps in its fit however old they are: the median of three ignores one outlier.</summary>
    public const int Fresh = 3;

    private readonly Dictionary<EncodeMode, Queue<(double Flops, double Seconds, long Choice)>> calls = new()
    {
        [EncodeMode.Packed] = new(), [EncodeMode.Padded] = new(),
    };
    private readonly Dictionary<EncodeMode, int> seen = new() { [EncodeMode.Packed] = 0, [EncodeMode.Padded] = 0 };
    private readonly Dictionary<EncodeMode, double> lastRate = [];                     // seconds per FLOP of each mode's latest call
    private readonly Dictionary<EncodeMode, long> chosen = new() { [EncodeMode.Packed] = 0, [EncodeMode.Padded] = 0 };
    private long choices;
    private bool calibrated;                                                           // both modes once had MinimumCalls
    private EncodeMode current = EncodeMode.Packed;

    /// <param name="execution">Auto chooses; Packed or Padded fixes the mode (Grouped asks only for a model whose pooling
    /// makes every slot count, which is padded over all T).</param>
    /// <param name="grouping">Length groups for <see cref="ElasticExecution.Grouped"/>.</param>
    /// <param name="clock">Elapsed time source (tests inject one); default a stopwatch.</param>
    public EncodePlanner(ElasticExecution execution, LengthGrouping grouping, Func<TimeSpan>? clock = null)
    {
        Execution = execution;
        Grouping = grouping;
        if (clock is null)
        {
            var watch = Stopwatch.StartNew();
            clock = () => watch.Elapsed;
        }
        this.clock = clock;
    }

    public ElasticExecution Execution { get; }
    public LengthGrouping Grouping { get; }

    /// <summary>How many micro-batches each mode has run (for reports).</summary>
    public (long Packed, long Padded) Chosen
    {
        get { lock (gate) return (chosen[EncodeMode.Packed], chosen[EncodeMode.Padded]); }
    }

    /// <summary>Whether both modes have had enough calls for the fit (Auto; afterwards ageing may leave fewer); fixed modes
    /// need none.</summary>
    public bool IsCalibrated
    {
        get
        {
            lock (gate)
                return Execution != ElasticExecution.Auto || calibrated;
        }
    }

    /// <summary>The ENCODE FLOPs of one call of <paramref name="mode"/> over samples of these tape lengths.</summary>
    public static double Flops(AdaTapeModelSpec model, TaskSpec task, IReadOnlyList<int> lengths, EncodeMode mode)
    {
        if (mode == EncodeMode.Packed)
        {
            // One cost-model call per tape length (at most T + 1), not per sample: this runs for every micro-batch.
            var perLength = new double[model.Tape.NumTapeTokens + 1];
            var total = 0.0;
            foreach (var l in lengths)
            {
                if (perLength[l] == 0) perLength[l] = CostModel.EncodeFlops(model, task, l);
                total += perLength[l];
            }
            return total;
        }
        var slots = ModelLayout.Of(model, task).PacksExactly ? lengths.Max() : model.Tape.NumTapeTokens;
        return lengths.Count * (double)CostModel.EncodeFlops(model, task, slots);
    }

    /// <summary>The mode for a micro-batch with these tape lengths.</summary>
    public EncodeMode Choose(RunSpec spec, IReadOnlyList<int> lengths)
    {
        var model = (AdaTapeModelSpec)spec.Model;
        lock (gate)
        {
            if (Execution == ElasticExecution.Padded || !ModelLayout.Of(model, spec.Task).PacksExactly) return Count(EncodeMode.Padded);
            if (Execution == ElasticExecution.Packed) return Count(EncodeMode.Packed);
            choices++;
            if (!calibrated)
                return Count(calls[EncodeMode.Packed].Count <= calls[EncodeMode.Padded].Count ? EncodeMode.Packed : EncodeMode.Padded);
            var (packedFlops, paddedFlops) = (Flops(model, spec.Task, lengths, EncodeMode.Packed), Flops(model, spec.Task, lengths, EncodeMode.Padded));
            var (packed, padded) = (Predict(EncodeMode.Packed, packedFlops), Predict(EncodeMode.Padded, paddedFlops));
            var best = packed <= padded ? EncodeMode.Packed : EncodeMode.Padded;
            var (bestCost, otherCost) = best == EncodeMode.Packed ? (packed, padded) : (padded, packed);
            if (best != current && bestCost > (1 - Hysteresis) * otherCost) best = current;           // near-equal: stay
            current = best;
            var (other, otherFlops, currentCost) = best == EncodeMode.Packed
                ? (EncodeMode.Padded, paddedFlops, packed) : (EncodeMode.Packed, packedFlops, padded);
            var explore = Math.Max(packed, padded) < (1 + CloseCall) * Math.Min(packed, padded) ? ExploreEveryWhenClose : ExploreEvery;
            if (choices % explore == 0 || LatestBeats(other, otherFlops, currentCost)) best = other;
            return Count(best);
        }
    }

    /// <summary>The FLOPs per second the planner currently expects of <paramref name="mode"/> (the inverse of its median
    /// seconds per FLOP; null before the mode's first timed call), for reports that check its choice.</summary>
    public double? ExpectedFlopsPerSecond(EncodeMode mode)
    {
        lock (gate) return calls[mode].Count == 0 ? null : 1 / Predict(mode, 1);
    }

    /// <summary>Runs one ENCODE call of <paramref name="mode"/> and adds its time to that mode's fit (Auto only).</summary>
    public T Measure<T>(EncodeMode mode, double flops, Func<T> call)
    {
        if (Execution != ElasticExecution.Auto) return call();
        var start = clock();
        var result = call();
        var seconds = (clock() - start).TotalSeconds;
        lock (gate)
        {
            if (seen[mode]++ == 0) return result;                                                  // warm-up call
            lastRate[mode] = seconds / Math.Max(flops, 1);
            var window = calls[mode];
            window.Enqueue((flops, seconds, choices));
            if (window.Count > Window) window.Dequeue();
            calibrated = calibrated || calls.Values.All(c => c.Count >= MinimumCalls);    // no scan per call once calibrated
            foreach (var other in calls.Values)
                while (other.Count > Fresh && choices - other.Peek().Choice > MaxAge) other.Dequeue();
        }
        return result;
    }

    /// <summary>Whether <paramref name="mode"/>'s latest call, at its rate, would have cost <see cref="Surprise"/> less than
    /// <paramref name="bestCost"/>: then it runs again at once. A mode whose calibration calls ran in a slow spell (or
    /// before its kernels warmed up) keeps a stale median for as many explorations as it takes to replace half its window,
    /// hundreds of micro-batches at one in 32; re-running it while its newest calls say it is cheaper replaces that
    /// within a few batches, and one call that is not cheaper ends the run.</summary>
    private bool LatestBeats(EncodeMode mode, double flops, double bestCost) =>
        lastRate.TryGetValue(mode, out var rate) && rate * flops < (1 - Surprise) * bestCost;

    /// <summary>The mode's median seconds per FLOP over its window, times <paramref name="flops"/>. The median, not a fit:
    /// on a loaded machine one slow call (a thread preempted, a page fault) moved a least-squares line enough to pick
    /// the slower mode at batch 1024, where a round has only four calls; the median ignores it. A pipeline's micro-batches
    /// are mostly full, so a per-FLOP rate already carries the fixed cost of a call of that size.</summary>
    private double Predict(EncodeMode mode, double flops)
    {
        var rates = calls[mode].Select(c => c.Seconds / Math.Max(c.Flops, 1)).Order().ToArray();
        var median = rates.Length % 2 == 1 ? rates[rates.Length / 2] : (rates[rates.Length / 2 - 1] + rates[rates.Length / 2]) / 2;
        return median * flops;
    }

    /// <summary>Counts a choice; called under the gate.</summary>
    private EncodeMode Count(EncodeMode mode)
    {
        chosen[mode]++;
        return mode;
    }
}
