using System.Diagnostics;
using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Cost;
using AdaTapeDml.Core.Layout;
using AdaTapeDml.Core.Specs;

namespace AdaTapeDml.Pipelines.Inference;

/// <summary>Chooses packed or padded ENCODE per micro-batch from a small cost model calibrated on the calls the pipeline
/// makes: for each mode, time = fixed + rate x FLOPs (the Core cost model's ENCODE FLOPs of the call: each sample at its
/// own length when packed, every sample at the longest length when padded), fitted by least squares over the mode's
/// recent calls. Until both modes have enough calls it alternates; afterwards it takes the cheaper prediction and now and
/// then tries the other mode, so a fit never goes stale. Both modes give the same predictions, so the choice only ever
/// changes speed. Thread-safe: sessions of one pipeline share it (they run the same backend).</summary>
public sealed class EncodePlanner
{
    /// <summary>Calls per mode the fit uses (the most recent).</summary>
    public const int Window = 24;
    /// <summary>Calls per mode before the fit is trusted; the first call of each mode is dropped as warm-up (sessions
    /// and graphs are created on first use).</summary>
    public const int MinimumCalls = 4;
    /// <summary>Every this many choices, the mode not predicted cheaper runs once to keep its fit current.</summary>
    public const int ExploreEvery = 32;

    private readonly Lock gate = new();
    private readonly Func<TimeSpan> clock;
    private readonly Dictionary<EncodeMode, Queue<(double Flops, double Seconds)>> calls = new()
    {
        [EncodeMode.Packed] = new(), [EncodeMode.Padded] = new(),
    };
    private readonly Dictionary<EncodeMode, int> seen = new() { [EncodeMode.Packed] = 0, [EncodeMode.Padded] = 0 };
    private readonly Dictionary<EncodeMode, long> chosen = new() { [EncodeMode.Packed] = 0, [EncodeMode.Padded] = 0 };
    private long choices;

    /// <param name="execution">Auto chooses; Packed or Padded fixes the mode (Grouped never asks the planner).</param>
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

    /// <summary>Whether both modes have enough calls for the fit (Auto); fixed modes need none.</summary>
    public bool IsCalibrated
    {
        get
        {
            lock (gate)
                return Execution != ElasticExecution.Auto || calls.Values.All(c => c.Count >= MinimumCalls);
        }
    }

    /// <summary>The ENCODE FLOPs of one call of <paramref name="mode"/> over samples of these tape lengths.</summary>
    public static double Flops(AdaTapeModelSpec model, TaskSpec task, IReadOnlyList<int> lengths, EncodeMode mode)
    {
        if (mode == EncodeMode.Packed) return lengths.Sum(l => (double)CostModel.EncodeFlops(model, task, l));
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
            var (packedCalls, paddedCalls) = (calls[EncodeMode.Packed].Count, calls[EncodeMode.Padded].Count);
            if (packedCalls < MinimumCalls || paddedCalls < MinimumCalls)
                return Count(packedCalls <= paddedCalls ? EncodeMode.Packed : EncodeMode.Padded);
            var packed = Predict(EncodeMode.Packed, Flops(model, spec.Task, lengths, EncodeMode.Packed));
            var padded = Predict(EncodeMode.Padded, Flops(model, spec.Task, lengths, EncodeMode.Padded));
            var best = packed <= padded ? EncodeMode.Packed : EncodeMode.Padded;
            if (choices % ExploreEvery == 0) best = best == EncodeMode.Packed ? EncodeMode.Padded : EncodeMode.Packed;
            return Count(best);
        }
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
            var window = calls[mode];
            window.Enqueue((flops, seconds));
            if (window.Count > Window) window.Dequeue();
        }
        return result;
    }

    /// <summary>fixed + rate x flops, least squares over the mode's window (a single FLOPs value: the mean rate).</summary>
    private double Predict(EncodeMode mode, double flops)
    {
        var window = calls[mode];
        var (meanX, meanY) = (window.Average(c => c.Flops), window.Average(c => c.Seconds));
        var sxx = window.Sum(c => (c.Flops - meanX) * (c.Flops - meanX));
        if (sxx <= 1e-9 * meanX * meanX) return meanY / Math.Max(meanX, 1) * flops;
        var rate = window.Sum(c => (c.Flops - meanX) * (c.Seconds - meanY)) / sxx;
        var fixedCost = meanY - rate * meanX;
        if (rate < 0 || fixedCost < 0) return meanY / Math.Max(meanX, 1) * flops;             // noise: fall back to the mean rate
        return fixedCost + rate * flops;
    }

    /// <summary>Counts a choice; called under the gate.</summary>
    private EncodeMode Count(EncodeMode mode)
    {
        chosen[mode]++;
        return mode;
    }
}
