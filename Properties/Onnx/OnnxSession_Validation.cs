using AdaTapeDml.Backends.Onnx.Runtime;
using AdaTapeDml.Core.Checkpoints;
using AdaTapeDml.Core.Contracts;

namespace AdaTapeDml.Properties.Onnx;

/// <summary>Bad input never reaches ONNX Runtime: the same one-line messages as the TorchSharp session.</summary>
public sealed class OnnxSession_Validation : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("adatape-onnx-val-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void Wrong_length_and_non_finite_inputs_are_refused_with_the_input_shapes_message()
    {
        var spec = OnnxTestModels.Specs["adatape-sequence"];
        using var session = new OnnxInferenceSession(OnnxTestModels.SaveRandom(spec, Path.Combine(dir, "m.safetensors"), 2));
        var inputs = OnnxTestModels.Inputs(spec, 2, 1);
        var shortInput = inputs[..^1];
        Assert.Equal(InputShapes.Problem(spec.Task, shortInput, 2), Assert.Throws<ArgumentException>(() => session.Run(shortInput, 2)).Message.Split(" (Parameter")[0]);
        inputs[5] = float.NaN;
        Assert.Contains("is NaN", Assert.Throws<ArgumentException>(() => session.Read(inputs, 2)).Message);
        Assert.Throws<ArgumentException>(() => session.Encode(new float[16], new float[16], [2], 1));
    }

    [Fact]
    public void Baselines_have_no_read_or_encode()
    {
        var spec = OnnxTestModels.Specs["transformer-parity"];
        using var session = new OnnxInferenceSession(OnnxTestModels.SaveRandom(spec, Path.Combine(dir, "m.safetensors"), 2));
        Assert.False(session.IsElastic);
        Assert.Throws<InvalidOperationException>(() => session.Read(OnnxTestModels.Inputs(spec, 1, 1), 1));
    }

    [Fact]
    public void A_missing_weight_file_is_a_checkpoint_error_naming_it()
    {
        var path = Path.Combine(dir, "absent.safetensors");
        Assert.Contains(path, Assert.Throws<CheckpointException>(() => new OnnxInferenceSession(path)).Message);
    }
}
