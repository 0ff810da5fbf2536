using AdaTapeDml.Core.Serialization;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Core.Validation;

namespace AdaTapeDml.Pipelines.Specs;

/// <summary>Reads a run spec from a JSON file: parse errors and validation errors come back together as values.</summary>
public static class RunSpecFile
{
    /// <summary>The parsed, validated spec, or every problem found (file, JSON or validation).</summary>
    public static Result<RunSpec> Load(string path)
    {
        if (!File.Exists(path))
            return Result<RunSpec>.Fail(new SpecError("file", path, "an existing JSON spec file (try `adatape spec example > spec.json`)"));
        string json;
        try { json = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Result<RunSpec>.Fail(new SpecError("file", path, $"a readable file ({e.Message})"));
        }
        var parsed = RunSpecJson.Parse(json);
        if (!parsed.IsOk) return parsed;
        var errors = SpecValidator.Validate(parsed.Value);
        return errors.Count == 0 ? parsed : Result<RunSpec>.Fail(errors);
    }

    /// <summary>How <paramref name="spec"/> differs from the spec stored at <paramref name="path"/> (see
    /// <see cref="RunSpecDiff"/>); empty when they are the same or no spec is stored there. A stored spec that cannot
    /// be read is a <see cref="UserError"/>: a run folder whose spec is unknown cannot be resumed.</summary>
    public static IReadOnlyList<string> DifferencesFromStored(string path, RunSpec spec)
    {
        if (!File.Exists(path)) return [];
        var stored = Load(path);
        return stored.IsOk ? RunSpecDiff.Between(stored.Value!, spec) : throw new UserError($"{path}: {stored.Errors[0]}");
    }

    /// <summary>Writes a spec atomically: to a temporary name beside the target, then moved into place.</summary>
    public static void Save(RunSpec spec, string path) => AtomicFile.WriteAllText(path, RunSpecJson.Serialize(spec));
}
