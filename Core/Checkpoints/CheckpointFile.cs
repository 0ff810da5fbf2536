using AdaTapeDml.Core.Serialization;
using AdaTapeDml.Core.Specs;

namespace AdaTapeDml.Core.Checkpoints;

/// <summary>Reads our checkpoint files (safetensors with the run spec in its metadata), for every backend: one place that
/// tells a missing, truncated, foreign or unreadable file apart, each as a <see cref="CheckpointException"/>.</summary>
public static class CheckpointFile
{
    /// <summary>Reads and decodes a checkpoint file, or throws <see cref="CheckpointException"/> naming the file and problem.</summary>
    public static SafeTensorsFile Read(string path)
    {
        if (!File.Exists(path)) throw new CheckpointException($"weight file {path} does not exist");
        var decoded = SafeTensors.TryDecode(File.ReadAllBytes(path), out var error)
            ?? throw new CheckpointException($"weight file {path}: {error}");
        if (!decoded.Metadata.TryGetValue(CheckpointKeys.Format, out var format) || format != CheckpointKeys.FormatValue)
            throw new CheckpointException($"weight file {path} is a safetensors file but not an AdaTapeDml checkpoint (no '{CheckpointKeys.Format}' = '{CheckpointKeys.FormatValue}' metadata)");
        return decoded;
    }

    /// <summary>The run spec stored in a checkpoint.</summary>
    public static RunSpec SpecOf(SafeTensorsFile file, string path)
    {
        var parsed = RunSpecJson.Parse(file.Metadata.GetValueOrDefault(CheckpointKeys.Spec, ""));
        return parsed.IsOk ? parsed.Value! : throw new CheckpointException($"weight file {path}: its stored spec is unreadable ({parsed.Errors[0]})");
    }

    /// <summary>The step count stored in a checkpoint. A file without one is refused rather than read as step 0, which
    /// would restart the schedule over trained weights and report the wrong step.</summary>
    public static int StepOf(SafeTensorsFile file, string path)
    {
        if (!file.Metadata.TryGetValue(CheckpointKeys.Step, out var text))
            throw new CheckpointException($"weight file {path} has no '{CheckpointKeys.Step}' metadata (the step it was written at); it was not written by AdaTapeDml's trainer");
        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var step)
            ? step
            : throw new CheckpointException($"weight file {path}: '{CheckpointKeys.Step}' metadata is '{text}'; expected a whole number >= 0");
    }
}
