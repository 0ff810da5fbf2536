using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Specs;

namespace AdaTapeDml.Pipelines.Heatmap;

/// <summary>How often each bank entry was read over a set of samples, in total and per class: the data of the paper's
/// token-selection heatmap. Built from READ traces (<see cref="TapeReadBatch.Trace"/>), i.e. from what the model really
/// read, so the heatmap and <c>adatape infer --trace</c> cannot disagree.</summary>
public sealed class SelectionHeatmap
{
    private readonly double[] total;
    private readonly double[][] byClass;
    private readonly int[] samplesByClass;

    public SelectionHeatmap(BankGrid grid, int classes, HeatmapWeighting weighting)
    {
        (Grid, Weighting) = (grid, weighting);
        total = new double[grid.Size];
        byClass = Enumerable.Range(0, classes).Select(_ => new double[grid.Size]).ToArray();
        samplesByClass = new int[classes];
    }

    public BankGrid Grid { get; }
    public HeatmapWeighting Weighting { get; }
    public int Classes => byClass.Length;

    /// <summary>Samples counted.</summary>
    public int Samples { get; private set; }

    /// <summary>Per bank entry, the reads over all samples (row-major over <see cref="Grid"/>).</summary>
    public IReadOnlyList<double> Total => total;

    /// <summary>Per bank entry, the reads over the samples labelled <paramref name="label"/>.</summary>
    public IReadOnlyList<double> OfClass(int label) => byClass[label];

    /// <summary>Samples counted with label <paramref name="label"/>.</summary>
    public int SamplesOfClass(int label) => samplesByClass[label];

    /// <summary>Samples counted with their blank entries known (<see cref="Add"/>'s blank mask; image banks).</summary>
    public int SamplesWithBlanks { get; private set; }

    /// <summary>Over <see cref="SamplesWithBlanks"/>: the reads (or weight) of entries that were blank in their sample,
    /// the reads of all entries, and the blank entries offered.</summary>
    public (double BlankReads, double Reads, long BlankEntries) Blanks { get; private set; }

    /// <summary>The share of the reads that went to blank entries, and the share of blank entries in the banks read
    /// from; null when no sample had a blank mask. A tape that read regardless of content would give equal shares.</summary>
    public (double OfReads, double OfEntries)? BlankShares =>
        SamplesWithBlanks == 0 || Blanks.Reads == 0 ? null
            : (Blanks.BlankReads / Blanks.Reads, Blanks.BlankEntries / ((double)SamplesWithBlanks * Grid.Size));

    /// <summary>Counts one sample's READ trace; <paramref name="label"/> (or null when unknown) picks its class panel.</summary>
    /// <param name="blank">Per bank entry, whether it was blank in this sample (<see cref="BlankPatches"/>); null when unknown.</param>
    public void Add(IEnumerable<TapeReadStep> trace, int? label, bool[]? blank = null)
    {
        if (label is { } l && (l < 0 || l >= Classes)) throw new ArgumentOutOfRangeException(nameof(label), label, $"a class in 0..{Classes - 1}");
        if (blank is not null && blank.Length != Grid.Size) throw new ArgumentException($"a blank mask of {blank.Length} entries for a bank of {Grid.Size}", nameof(blank));
        var (blankReads, reads) = (0.0, 0.0);
        foreach (var step in trace)
            for (var c = 0; c < step.Indices.Length; c++)
            {
                var value = Weighting == HeatmapWeighting.Count ? 1.0 : step.Weights[c];
                total[step.Indices[c]] += value;
                if (label is { } cls) byClass[cls][step.Indices[c]] += value;
                reads += value;
                if (blank?[step.Indices[c]] == true) blankReads += value;
            }
        Samples++;
        if (label is { } counted) samplesByClass[counted]++;
        if (blank is null) return;
        SamplesWithBlanks++;
        Blanks = (Blanks.BlankReads + blankReads, Blanks.Reads + reads, Blanks.BlankEntries + blank.Count(b => b));
    }

    /// <summary>The heatmap over a data source's whole held-out set, with its labels (for class panels).</summary>
    public static SelectionHeatmap OverHeldOut(IInferenceSession session, IDataSource data, HeatmapWeighting weighting = HeatmapWeighting.Count)
    {
        var (inputs, count, labels) = HeldOutOf(data);
        return Compute(session, inputs, count, labels, weighting);
    }

    /// <summary>A data source's whole held-out set as one row-major array, its size and its labels.</summary>
    public static (float[] Inputs, int Count, int[] Labels) HeldOutOf(IDataSource data)
    {
        var batches = data.EvalBatches(1000).ToList();
        return (batches.SelectMany(b => b.Inputs).ToArray(), batches.Sum(b => b.Count), batches.SelectMany(b => b.Labels).ToArray());
    }

    /// <summary>Reads <paramref name="count"/> samples through <paramref name="session"/> (opened to trace its reads) in
    /// batches and counts what each read.</summary>
    /// <param name="inputs">Row-major [count, ..input shape].</param>
    /// <param name="labels">Their classes, or null (no class panels).</param>
    public static SelectionHeatmap Compute(IInferenceSession session, float[] inputs, int count, int[]? labels,
        HeatmapWeighting weighting = HeatmapWeighting.Count, int batchSize = 256)
    {
        if (session.Spec.Model is not AdaTapeModelSpec adaTape || !session.IsElastic)
            throw new ArgumentException($"{session.Spec.Model.GetType().Name} has no tape: a selection heatmap needs an AdaTape model", nameof(session));
        if (labels is not null && labels.Length != count) throw new ArgumentException($"{labels.Length} labels for {count} samples", nameof(labels));
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var heatmap = new SelectionHeatmap(BankGrid.Of(adaTape, session.Spec.Task), session.Spec.Task.NumClasses, weighting);
        var per = inputs.Length / Math.Max(1, count);
        int? blankPatch = adaTape.Bank is ImageInputBankSpec image ? image.PatchSize : null;   // only an image bank has blank entries
        for (var start = 0; start < count; start += batchSize)
        {
            var n = Math.Min(batchSize, count - start);
            var read = session.Read(inputs[(start * per)..((start + n) * per)], n);
            var trace = read.Trace ?? throw new InvalidOperationException($"the {session.Backend} session does not trace its reads: open it with traceReads");
            for (var b = 0; b < n; b++)
                heatmap.Add(trace[b], labels?[start + b], blankPatch is { } patch
                    ? BlankPatches.Of(inputs.AsSpan((start + b) * per, per), FashionMnistTaskSpec.ImageSize, patch) : null);
        }
        return heatmap;
    }
}
