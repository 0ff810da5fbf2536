using AdaTapeDml.Core.Tasks;
using AdaTapeDml.Pipelines.Experiments;
using AdaTapeDml.Properties.Halting;

namespace AdaTapeDml.Properties.Pipelines;

/// <summary>The library's compute-knob sweep on a tiny AdaTape model: with k held, the mean tape never grows as tau falls
/// and k stays the trained one; moving k follows floor(T / tau); TorchSharp and ONNX Runtime measure the same tapes and
/// accuracy at every point.</summary>
public sealed class ComputeKnobSweep_Backends
{
    private static readonly double[] Taus = [3.0, 2.0, 1.5, 1.0, 0.5];

    private static List<KnobPoint> Sweep(string backend, ComputeKnob knob)
    {
        var spec = SavedTinyModels.AdaTapeSpec;
        var data = DataSources.For(spec.Task, spec.Training.Seed);
        return ComputeKnobSweep.Run(spec, data, tape => ReadTrace_EqualsOracle.Open(backend, SavedTinyModels.AdaTape, tape, trace: false),
            knob, Taus, skipInvalid: false).ToList();
    }

    [Fact]
    public void Holding_k_gives_a_tape_that_never_grows_as_tau_falls_on_both_backends()
    {
        var torch = Sweep("torch", ComputeKnob.ActEpsilonHoldK);
        var onnx = Sweep("onnx", ComputeKnob.ActEpsilonHoldK);
        Assert.Equal(Taus, torch.Select(p => p.Knob));
        Assert.All(torch, p => Assert.Equal(4, p.Candidates));                           // T 6, trained tau 1.5
        for (var i = 1; i < torch.Count; i++)
        {
            Assert.True(torch[i].MeanTape <= torch[i - 1].MeanTape, $"tau {torch[i].Knob}: tape {torch[i].MeanTape} > {torch[i - 1].MeanTape}");
            Assert.True(torch[i].Flops <= torch[i - 1].Flops);
        }
        Assert.True(torch[^1].MeanTape < torch[0].MeanTape);                              // the knob moves the tape at all
        Assert.Equal(torch.Select(p => (p.MeanTape, p.Accuracy, p.Flops)), onnx.Select(p => (p.MeanTape, p.Accuracy, p.Flops)));
    }

    [Fact]
    public void Moving_k_follows_floor_of_T_over_tau()
    {
        var points = Sweep("torch", ComputeKnob.ActEpsilon);
        Assert.Equal(Taus.Select(t => (int)Math.Floor(6 / t)), points.Select(p => p.Candidates));
    }
}
