using AdaTapeDml.Core.Checkpoints;

namespace AdaTapeDml.Backends.Onnx.Compiler;

/// <summary>A checkpoint's model weights by parameter name (without the "model." prefix), with shape checks that name
/// the file, the tensor and both shapes.</summary>
public sealed class ModelWeights(IReadOnlyDictionary<string, TensorData> tensors, string source)
{
    /// <summary>The parameter <paramref name="name"/> (e.g. "blocks.0.attn.qkv.weight") with the shape the spec gives it.</summary>
    public TensorData Get(string name, params long[] shape)
    {
        if (!tensors.TryGetValue(CheckpointKeys.Model + name, out var data))
            throw new CheckpointException($"weight file {source} has no tensor '{CheckpointKeys.Model}{name}' that the spec's model needs (was it trained with another spec?)");
        if (!data.Shape.SequenceEqual(shape))
            throw new CheckpointException($"weight file {source}: tensor '{CheckpointKeys.Model}{name}' has shape [{string.Join(", ", data.Shape)}] but the spec needs [{string.Join(", ", shape)}]");
        return data;
    }

    /// <summary>Rows [<paramref name="from"/>, <paramref name="from"/> + <paramref name="count"/>) of a Linear weight
    /// [out, in], transposed to [in, count] so that y = x · W.</summary>
    public static float[] TransposedRows(TensorData weight, int from, int count)
    {
        var inputs = (int)weight.Shape[1];
        var result = new float[inputs * count];
        for (var o = 0; o < count; o++)
            for (var i = 0; i < inputs; i++)
                result[i * count + o] = weight.Values[(from + o) * inputs + i];
        return result;
    }
}
