using AdaTapeDml.Backends.Onnx.Runtime;
using AdaTapeDml.Backends.TorchSharp.Inference;
using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Properties.Onnx;

namespace AdaTapeDml.Properties.Backends;

/// <summary>The Universal Transformer reports each sample's own halting depth: the steps until all its positions halted,
/// which is what the sample gets when it runs alone, even though a batch runs until its slowest sample halts. On both
/// backends, which also agree with each other.</summary>
public sealed class UtSampleSteps_BatchIndependence : IDisposable
{
    private const int Count = 12;
    private readonly string dir = Directory.CreateTempSubdirectory("adatape-ut-steps-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    public static TheoryData<string> Backends() => ["torch", "onnx"];

    [Theory]
    [MemberData(nameof(Backends))]
    public void A_samples_steps_equal_its_steps_alone(string backend)
    {
        var spec = OnnxTestModels.Specs["ut-image"];
        spec = spec with { Model = ((UniversalTransformerModelSpec)spec.Model) with { Act = new ActHaltingSpec(MaxSteps: 5, HaltingBiasInit: -0.5) } };
        var path = OnnxTestModels.SaveRandom(spec, Path.Combine(dir, "ut.safetensors"), seed: 21);
        using IInferenceSession session = backend == "torch" ? new TorchInferenceSession(path) : new OnnxInferenceSession(path);
        var inputs = OnnxTestModels.Inputs(spec, Count, seed: 8);
        var rowLength = inputs.Length / Count;
        var batch = (HaltingStepsCompute)session.Run(inputs, Count).Compute;
        var alone = Enumerable.Range(0, Count)
            .Select(b => ((HaltingStepsCompute)session.Run(inputs[(b * rowLength)..((b + 1) * rowLength)], 1).Compute).Steps[0]).ToArray();
        Assert.Equal(alone, batch.Steps);
        Assert.True(batch.Steps.Distinct().Count() > 1, $"every sample took {batch.Steps[0]} steps; the test would not tell a batch's steps from a sample's");
        Assert.All(batch.Steps, s => Assert.InRange(s, 1, 5));
    }
}
