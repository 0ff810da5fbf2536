using AdaTapeDml.Backends.Onnx.Runtime;
using AdaTapeDml.Backends.TorchSharp.Inference;
using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Core.Validation;
using AdaTapeDml.Properties.Onnx;

namespace AdaTapeDml.Properties.Avit;

/// <summary>The inference-time knob of the halting baselines (<see cref="HaltingOverride"/>), applied by both backends'
/// sessions: a lower A-ViT gate centre lowers the mean token depth, a lower UT threshold lowers the mean steps, and the
/// two backends agree; a knob the model does not have, or a bad value, is refused with the field named.</summary>
public sealed class HaltingKnob_MovesCompute : IDisposable
{
    private const int Count = 16;
    private readonly string dir = Directory.CreateTempSubdirectory("adatape-knob-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    public static TheoryData<string> Backends() => ["torch", "onnx"];

    private static IInferenceSession Open(string backend, string path, HaltingOverride? knob) =>
        backend == "torch" ? new TorchInferenceSession(path, halting: knob) : new OnnxInferenceSession(path, halting: knob);

    private double MeanStatistic(string backend, string name, HaltingOverride? knob, out RunSpec inEffect)
    {
        var spec = OnnxTestModels.Specs[name];
        var path = Path.Combine(dir, $"{name}.safetensors");
        if (!File.Exists(path)) OnnxTestModels.SaveRandom(spec, path, seed: 31);
        using var session = Open(backend, path, knob);
        inEffect = session.Spec;
        var run = session.Run(OnnxTestModels.Inputs(spec, Count, seed: 3), Count);
        return Enumerable.Range(0, Count).Average(run.Compute.Statistic);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void A_lower_gate_centre_lowers_the_mean_token_depth(string backend)
    {
        var depths = new[] { -3.0, 0.0, 3.0 }.Select(centre => MeanStatistic(backend, "avit-image", new HaltingOverride(GateCenter: centre), out _)).ToArray();
        Assert.True(depths[0] < depths[1] && depths[1] < depths[2], $"mean depth at gate centre -3, 0, 3: {string.Join(", ", depths)}");
        Assert.Equal(depths[1], MeanStatistic(backend, "avit-image", null, out _));                   // 0 is the trained centre
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void A_lower_threshold_lowers_the_mean_ut_steps(string backend)
    {
        var low = MeanStatistic(backend, "ut-image", new HaltingOverride(Threshold: 0.3), out var spec);
        var high = MeanStatistic(backend, "ut-image", new HaltingOverride(Threshold: 0.999), out _);
        Assert.Equal(0.3, ((UniversalTransformerModelSpec)spec.Model).Act.Threshold);
        Assert.True(low < high, $"mean steps at threshold 0.3: {low}, at 0.999: {high}");
    }

    [Fact]
    public void A_knob_the_model_lacks_or_a_bad_value_is_refused_with_the_field()
    {
        var avit = OnnxTestModels.Specs["avit-image"];
        var ut = OnnxTestModels.Specs["ut-image"];
        Assert.Equal(["model.kind"], new HaltingOverride(Threshold: 0.5).ApplyTo(avit).Errors.Select(e => e.Path));
        Assert.Equal(["model.kind"], new HaltingOverride(GateCenter: 1).ApplyTo(ut).Errors.Select(e => e.Path));
        Assert.Equal(["model.act.threshold"], new HaltingOverride(Threshold: 0).ApplyTo(ut).Errors.Select(e => e.Path));
        Assert.Equal(["model.halting.gateCenter"], new HaltingOverride(GateCenter: double.NaN).ApplyTo(avit).Errors.Select(e => e.Path));
        Assert.Contains("compute knob: model.kind", Assert.Throws<UserError>(() => new HaltingOverride(GateCenter: 1).ApplyOrThrow(ut)).Message);
        Assert.Equal(avit, new HaltingOverride().ApplyTo(avit).Value);
    }
}
