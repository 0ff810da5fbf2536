using System.Text.Json;
using AdaTapeDml.Core.Validation;

namespace AdaTapeDml.Pipelines.Experiments;

/// <summary>A finished model's result.json in its run folder: written atomically, read strictly, so that a damaged file
/// is a <see cref="UserError"/> naming it rather than a JSON exception (or a result silently taken as absent).</summary>
public static class ModelResultFile
{
    /// <summary>The result stored at <paramref name="path"/>, or null when there is no such file.</summary>
    public static ExperimentResult? Read(string path)
    {
        if (!File.Exists(path)) return null;
        var fix = "delete it to re-evaluate the model from its checkpoint";
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), ResultsJsonContext.Default.ExperimentResult) is { Name.Length: > 0 } result
                ? result
                : throw new UserError($"{path}: not a model result (expected a JSON object with \"name\", \"steps\", \"accuracy\", ...); {fix}");
        }
        catch (JsonException e) { throw new UserError($"{path}: not valid result JSON ({e.Message}); {fix}"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new UserError($"{path}: cannot be read ({e.Message})"); }
    }

    public static void Write(string path, ExperimentResult result) =>
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(result, ResultsJsonContext.Default.ExperimentResult));
}
