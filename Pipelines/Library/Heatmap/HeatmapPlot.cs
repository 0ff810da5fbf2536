using System.Globalization;

namespace AdaTapeDml.Pipelines.Heatmap;

/// <summary>The ScottPlot figure of a <see cref="SelectionHeatmap"/>: each panel is the bank grid (row 0 on top, as the
/// image), coloured by reads per sample on one colour scale shared by all panels, brighter = read more often.</summary>
public static class HeatmapPlot
{
    private const int PanelsPerRow = 5;

    public static ScottPlot.Plot Create(SelectionHeatmap heatmap, string title, bool byClass)
    {
        var panels = new List<(string Caption, double[,] Values)> { ("all", PerSample(heatmap.Total, heatmap.Samples, heatmap.Grid)) };
        if (byClass)
            panels = Enumerable.Range(0, heatmap.Classes)
                .Select(c => (string.Create(CultureInfo.InvariantCulture, $"class {c}"), PerSample(heatmap.OfClass(c), heatmap.SamplesOfClass(c), heatmap.Grid)))
                .ToList();
        var max = Math.Max(1e-12, panels.Max(p => p.Values.Cast<double>().Max()));
        var plot = new ScottPlot.Plot();
        var (rows, columns) = (heatmap.Grid.Rows, heatmap.Grid.Columns);
        var (gapX, gapY) = (columns * 0.15 + 1, rows * 0.25 + 1);
        ScottPlot.Plottables.Heatmap? last = null;
        for (var p = 0; p < panels.Count; p++)
        {
            var (left, top) = ((p % PanelsPerRow) * (columns + gapX), -(p / PanelsPerRow) * (rows + gapY));
            last = plot.Add.Heatmap(panels[p].Values);
            last.Rectangle = new ScottPlot.CoordinateRect(left, left + columns, top - rows, top);
            last.ManualRange = new ScottPlot.Range(0, max);
            last.Update();                                                        // recolour with the shared range
            if (panels.Count > 1) plot.Add.Text(panels[p].Caption, left, top).LabelAlignment = ScottPlot.Alignment.LowerLeft;
        }
        plot.Add.ColorBar(last!).Label = $"{SelectionHeatmapFiles.Unit(heatmap)} per sample";
        plot.Axes.SquareUnits();
        plot.Title(title);
        plot.HideGrid();
        plot.Axes.Bottom.Label.Text = $"{heatmap.Grid.What}s ({rows} x {columns}), {heatmap.Samples} samples";
        return plot;
    }

    /// <summary>values / samples as [rows, columns], row 0 first. A one-row grid is given twice (drawn in the same
    /// rectangle, so it looks the same): ScottPlot 5.1.59 draws nothing for a heatmap of one row.</summary>
    private static double[,] PerSample(IReadOnlyList<double> values, int samples, BankGrid grid)
    {
        var copies = grid.Rows == 1 ? 2 : 1;
        var cells = new double[grid.Rows * copies, grid.Columns];
        for (var copy = 0; copy < copies; copy++)
            for (var i = 0; i < grid.Size; i++) cells[copy + i / grid.Columns, i % grid.Columns] = samples == 0 ? 0 : values[i] / samples;
        return cells;
    }
}
