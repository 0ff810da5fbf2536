using AdaTapeDml.Backends.Onnx.Compiler;
using AdaTapeDml.Core.Checkpoints;
using AdaTapeDml.Core.Serialization;
using AdaTapeDml.Core.Specs;

namespace AdaTapeDml.Backends.Onnx.Runtime;

/// <summary>Reads a weights or checkpoint file (safetensors with the run spec in its metadata) for compilation.</summary>
public static class OnnxCheckpoint
{
    /// <summary>The stored spec and model weights, or a <see cref="CheckpointException"/> naming the file and problem.</summary>
    public static (RunSpec Spec, ModelWeights Weights) Read(string path)
    {
        if (!File.Exists(path)) throw new CheckpointException($"weight file {path} does not exist");
        var file = SafeTensors.TryDecode(File.ReadAllBytes(path), out var error)
            ?? throw new CheckpointException($"weight file {path}: {error}");
        if (file.Metadata.GetValueOrDefault(CheckpointKeys.Format) != CheckpointKeys.FormatValue)
            throw new CheckpointException($"weight file {path} is a safetensors file but not an AdaTapeDml checkpoint (no '{CheckpointKeys.Format}' = '{CheckpointKeys.FormatValue}' metadata)");
        var spec = RunSpecJson.Parse(file.Metadata.GetValueOrDefault(CheckpointKeys.Spec, ""));
        if (!spec.IsOk) throw new CheckpointException($"weight file {path}: its stored spec is unreadable ({spec.Errors[0]})");
        return (spec.Value!, new ModelWeights(file.Tensors, path));
    }
}
