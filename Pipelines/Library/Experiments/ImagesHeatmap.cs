using System.Globalization;
using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Pipelines.Heatmap;

namespace AdaTapeDml.Pipelines.Experiments;

/// <summary>The paper's selection heatmap for the images experiment: how often each fine patch of the adatape model's
/// input-driven bank was read over the 10,000 test images, written as heatmap.png and heatmap.csv beside the report.</summary>
public static class ImagesHeatmap
{
    /// <summary>The files written and the share of reads that went to blank patches against their share of the bank
    /// (<see cref="SelectionHeatmap.BlankShares"/>), or null when the plan has no trained "adatape" entry.</summary>
    /// <param name="openTraced">Opens an inference session on a weights file with READ traces on.</param>
    public static (string Csv, string Png, (double OfReads, double OfEntries)? BlankShares)? Write(ExperimentPlan plan, IDataSource data, Func<string, IInferenceSession> openTraced)
    {
        var entry = plan.Entries.FirstOrDefault(e => e.Name == "adatape");
        if (entry is null) return null;
        var run = ExperimentRunner.RunOf(plan, entry);
        if (!File.Exists(run.Weights)) return null;
        using var session = openTraced(run.Weights);
        var heatmap = SelectionHeatmap.OverHeldOut(session, data);
        var (csv, png) = SelectionHeatmapFiles.Write(heatmap, plan.Root, string.Create(CultureInfo.InvariantCulture, $"{entry.Name}: bank reads over {heatmap.Samples} test images"), byClass: false);
        return (csv, png, heatmap.BlankShares);
    }
}
