using System.Globalization;
using System.Text;

namespace AdaTapeDml.Pipelines.Heatmap;

/// <summary>Writes a <see cref="SelectionHeatmap"/> as heatmap.csv (one row per panel and bank entry) and heatmap.png (the
/// bank grid, brighter = read more often; one panel per class with byClass), each atomically.</summary>
public static class SelectionHeatmapFiles
{
    public const string Csv = "heatmap.csv";
    public const string Png = "heatmap.png";

    /// <summary>Writes both files into <paramref name="folder"/>; returns their paths.</summary>
    /// <param name="title">The plot's title (e.g. the model's name and the image set).</param>
    public static (string Csv, string Png) Write(SelectionHeatmap heatmap, string folder, string title, bool byClass)
    {
        var csv = Path.Combine(folder, Csv);
        var png = Path.Combine(folder, Png);
        AtomicFile.WriteAllText(csv, CsvText(heatmap, byClass));
        PlotFile.SavePng(HeatmapPlot.Create(heatmap, title, byClass), png, byClass ? 1400 : 700, byClass ? 640 : 600);
        return (csv, png);
    }

    /// <summary>panel ("all" or the class), row, column, entry, reads (the sum), readsPerSample (reads / samples of the panel).</summary>
    public static string CsvText(SelectionHeatmap heatmap, bool byClass)
    {
        var text = new StringBuilder($"panel,row,column,entry,{Unit(heatmap)},{Unit(heatmap)}PerSample\n");
        Append(text, "all", heatmap.Total, heatmap.Samples, heatmap.Grid);
        if (byClass)
            for (var c = 0; c < heatmap.Classes; c++)
                Append(text, c.ToString(CultureInfo.InvariantCulture), heatmap.OfClass(c), heatmap.SamplesOfClass(c), heatmap.Grid);
        return text.ToString();
    }

    /// <summary>The column name of a cell's value: "reads" (counts) or "weight" (summed softmax weights).</summary>
    public static string Unit(SelectionHeatmap heatmap) => heatmap.Weighting == HeatmapWeighting.Count ? "reads" : "weight";

    private static void Append(StringBuilder text, string panel, IReadOnlyList<double> values, int samples, BankGrid grid)
    {
        for (var i = 0; i < grid.Size; i++)
            text.Append(string.Create(CultureInfo.InvariantCulture,
                $"{panel},{i / grid.Columns},{i % grid.Columns},{i},{values[i]:R},{(samples == 0 ? 0 : values[i] / samples):R}\n"));
    }
}
