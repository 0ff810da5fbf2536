using System.Globalization;
using AdaTapeDml.Core.Validation;

namespace AdaTapeDml.Pipelines.Training;

/// <summary>One row of a metrics CSV: the text as written (kept verbatim on resume) and its parsed numbers.</summary>
internal sealed record MetricsRow(string Text, double[] Values)
{
    public int Step => (int)Values[0];
}

/// <summary>Reads a run's metrics CSV strictly: the expected header, then rows of that many numbers with a whole step
/// first. A damaged file is a <see cref="UserError"/> naming the file and line, never a parse exception, and never
/// silently skipped rows (which would quietly rewrite a run's history on resume).</summary>
internal static class MetricsCsv
{
    /// <summary>The rows of <paramref name="path"/> (none when the file does not exist).</summary>
    public static List<MetricsRow> Read(string path, string header)
    {
        if (!File.Exists(path)) return [];
        string[] lines;
        try { lines = File.ReadAllLines(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new UserError($"{path}: cannot be read ({e.Message})"); }
        var fix = "repair or delete the file";
        if (lines.Length == 0 || lines[0] != header)
            throw new UserError($"{path} line 1: '{Clip(lines.FirstOrDefault() ?? "")}' is not the header '{header}'; {fix}");
        var columns = header.Split(',').Length;
        var rows = new List<MetricsRow>(lines.Length - 1);
        for (var i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            var values = Parse(lines[i], columns);
            if (values is null)
                throw new UserError($"{path} line {i + 1}: '{Clip(lines[i])}' is not {columns} comma-separated numbers ({header}) with a whole step first; {fix}");
            rows.Add(new MetricsRow(lines[i], values));
        }
        return rows;
    }

    private static double[]? Parse(string line, int columns)
    {
        var fields = line.Split(',');
        if (fields.Length != columns || !int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out _)) return null;
        var values = new double[columns];
        for (var c = 0; c < columns; c++)
            if (!double.TryParse(fields[c], NumberStyles.Float, CultureInfo.InvariantCulture, out values[c])) return null;
        return values;
    }

    private static string Clip(string text) => text.Length <= 60 ? text : text[..60] + "...";
}
