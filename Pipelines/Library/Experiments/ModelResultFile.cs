using System.Text.Json;
using AdaTapeDml.Core.Validation;

namespace AdaTapeDml.Pipelines.Experiments;

/// <summary>A finished model's result.json in its run folder: written atomically, read strictly, so that a damaged file
/// is a <see cref="UserError"/> naming it rather than a JSON exception. A result written by an earlier version (without
/// "kind") reads as absent, so the runner measures the model again from its checkpoint without training it again.</summary>
public static class ModelResultFile
{
    /// <summary>The result stored at <paramref name="path"/>, or null when there is no such file.</summary>
    public static ExperimentResult? Read(string path)
    {
        if (!File.Exists(path)) return null;
        var fix = "delete it to re-evaluate the model from its checkpoint";
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), ResultsJsonContext.Default.ExperimentResult) switch
            {
                { Name.Length: > 0, Kind: not null, Throughput: not null, Sweep: not null } result => result,
                { Name.Length: > 0 } => null,           // an earlier version's result: measured again from the run's checkpoint
                _ => throw new UserError($"{path}: not a model result (expected a JSON object with \"name\", \"kind\", \"steps\", \"accuracy\", ...); {fix}"),
            };
        }
        catch (JsonException e) { throw new UserError($"{path}: not valid result JSON ({e.Message}); {fix}"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new UserError($"{path}: cannot be read ({e.Message})"); }
    }

    public static void Write(string path, ExperimentResult result) =>
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(result, ResultsJsonContext.Default.ExperimentResult));
}
