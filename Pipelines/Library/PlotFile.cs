namespace AdaTapeDml.Pipelines;

/// <summary>Saves ScottPlot plots like every other file: rendered in memory, then written atomically (a temporary file in
/// the same folder moved into place), so a reader never sees a half-written PNG and a failed render keeps the old one.</summary>
public static class PlotFile
{
    public static void SavePng(ScottPlot.Plot plot, string path, int width, int height) =>
        AtomicFile.WriteAllBytes(path, plot.GetImageBytes(width, height, ScottPlot.ImageFormat.Png));
}
