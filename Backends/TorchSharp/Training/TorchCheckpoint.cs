using AdaTapeDml.Backends.TorchSharp.Models;
using AdaTapeDml.Core.Checkpoints;
using AdaTapeDml.Core.Serialization;
using AdaTapeDml.Core.Specs;
using static TorchSharp.torch;

namespace AdaTapeDml.Backends.TorchSharp.Training;

/// <summary>Model weights (and optionally AdamW moments) to and from safetensors, with shape checks against the spec.
/// Written from a CPU copy and read onto whatever device the model lives on, so a run trained on a GPU resumes on a CPU
/// and vice versa.</summary>
public static class TorchCheckpoint
{
    /// <summary>Encodes weights, moments and metadata as one safetensors byte array.</summary>
    public static byte[] Encode(ClassifierModel model, AdamW? optimizer, RunSpec spec, int step, IReadOnlyDictionary<string, string> extra)
    {
        var tensors = new Dictionary<string, TensorData>(StringComparer.Ordinal);
        foreach (var (name, p) in model.named_parameters()) tensors[CheckpointKeys.Model + name] = ToData(p);
        if (optimizer is not null)
            foreach (var (name, m, v) in optimizer.Moments)
            {
                tensors[CheckpointKeys.AdamFirst + name] = ToData(m);
                tensors[CheckpointKeys.AdamSecond + name] = ToData(v);
            }
        var metadata = new Dictionary<string, string>(extra, StringComparer.Ordinal)
        {
            [CheckpointKeys.Format] = CheckpointKeys.FormatValue,
            [CheckpointKeys.Step] = step.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [CheckpointKeys.Spec] = RunSpecJson.Serialize(spec),
        };
        return SafeTensors.Encode(tensors, metadata);
    }

    /// <summary>Copies weights (and moments, when an optimizer is given) into the model; every parameter must be present
    /// with the shape the spec gives it.</summary>
    public static void Load(SafeTensorsFile file, string path, ClassifierModel model, AdamW? optimizer)
    {
        using var _ = no_grad();
        foreach (var (name, p) in model.named_parameters())
            Copy(file, path, CheckpointKeys.Model + name, p);
        if (optimizer is null) return;
        foreach (var (name, m, v) in optimizer.Moments)
        {
            Copy(file, path, CheckpointKeys.AdamFirst + name, m);
            Copy(file, path, CheckpointKeys.AdamSecond + name, v);
        }
        optimizer.StepCount = CheckpointFile.StepOf(file, path);
    }

    private static void Copy(SafeTensorsFile file, string path, string key, Tensor target)
    {
        if (!file.Tensors.TryGetValue(key, out var data))
            throw new CheckpointException($"weight file {path} has no tensor '{key}' that the spec's model needs (was it trained with another spec?)");
        if (!data.Shape.SequenceEqual(target.shape))
            throw new CheckpointException($"weight file {path}: tensor '{key}' has shape [{string.Join(", ", data.Shape)}] but the spec needs [{string.Join(", ", target.shape)}]");
        target.copy_(tensor(data.Values, data.Shape, device: target.device));                   // the file is device-independent
    }

    private static TensorData ToData(Tensor t) => new(t.shape, t.detach().cpu().contiguous().data<float>().ToArray());
}
