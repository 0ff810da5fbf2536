using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Pipelines.Inference;

namespace AdaTapeDml.Properties.Pipelines;

/// <summary>The auto planner calibrates on the calls it makes and then runs each micro-batch in the mode that is faster
/// for it; timings come from an injected clock (a simulated backend), never the wall clock.</summary>
public sealed class EncodePlanner_Choice
{
    private static readonly RunSpec Spec = FakeElasticSession.ParitySpec;                                  // T = 10

    /// <summary>A backend whose calls cost fixed + rate x FLOPs, per mode.</summary>
    private sealed record SimulatedBackend(double PackedFixed, double PackedRate, double PaddedFixed, double PaddedRate)
    {
        public double Seconds(EncodeMode mode, int[] lengths)
        {
            var flops = EncodePlanner.Flops((AdaTapeModelSpec)Spec.Model, Spec.Task, lengths, mode);
            return mode == EncodeMode.Packed ? PackedFixed + PackedRate * flops : PaddedFixed + PaddedRate * flops;
        }

        public EncodeMode Faster(int[] lengths) => Seconds(EncodeMode.Packed, lengths) <= Seconds(EncodeMode.Padded, lengths) ? EncodeMode.Packed : EncodeMode.Padded;
    }

    /// <summary>Runs <paramref name="batches"/> micro-batches of <paramref name="lengthsOf"/> through the planner; returns
    /// how many of the choices after calibration were the faster mode, and how many choices that was.</summary>
    private static (int Right, int Total) Run(SimulatedBackend backend, Func<int, int[]> lengthsOf, int batches)
    {
        var now = TimeSpan.Zero;
        var planner = new EncodePlanner(ElasticExecution.Auto, LengthGrouping.Exact, () => now);
        var (right, total) = (0, 0);
        for (var i = 0; i < batches; i++)
        {
            var lengths = lengthsOf(i);
            var calibrated = planner.IsCalibrated;
            var mode = planner.Choose(Spec, lengths);
            if (calibrated)
            {
                total++;
                if (mode == backend.Faster(lengths)) right++;
            }
            var flops = EncodePlanner.Flops((AdaTapeModelSpec)Spec.Model, Spec.Task, lengths, mode);
            planner.Measure(mode, flops, () => now += TimeSpan.FromSeconds(backend.Seconds(mode, lengths)));
        }
        return (right, total);
    }

    [Fact]
    public void Mixed_lengths_on_a_backend_with_cheap_packing_run_packed()
    {
        var backend = new SimulatedBackend(2e-4, 1e-11, 1e-4, 1e-11);
        var (right, total) = Run(backend, i => Enumerable.Range(0, 64).Select(j => (i + j) % 11).ToArray(), 200);
        Assert.True(total > 150, $"calibrated after {200 - total} batches");
        Assert.True(right >= total - total / EncodePlanner.ExploreEvery - 1, $"{right} of {total} choices were the faster mode");
    }

    [Fact]
    public void Equal_lengths_where_packing_only_adds_overhead_run_padded()
    {
        var backend = new SimulatedBackend(2e-3, 1.2e-11, 1e-4, 1e-11);
        var (right, total) = Run(backend, _ => Enumerable.Repeat(4, 64).ToArray(), 200);
        Assert.Equal(EncodeMode.Padded, backend.Faster(Enumerable.Repeat(4, 64).ToArray()));
        Assert.True(right >= total - total / EncodePlanner.ExploreEvery - 1, $"{right} of {total} choices were the faster mode");
    }

    /// <summary>Padded is truly faster (packed costs <paramref name="packedCost"/> times as much), but its calibration calls
    /// ran slow (another process, a page-fault storm, kernels not yet warm). 10 % faster and 25 % slow makes packed look
    /// 14 % cheaper: a close call, explored one batch in 8. 25 % faster and 60 % slow makes packed look 28 % cheaper,
    /// beyond a close call, explored one batch in 32: replacing half of padded's window that way took hundreds of batches
    /// (a bench at TorchSharp batch 256 ran 30 of 32 batches packed while padded was 27 % faster), so a mode whose newest
    /// call was clearly cheaper runs again at once. 10 % faster and 75 % slow (as in a bench at ONNX Runtime batch 256, whose
    /// calibration ran while the process warmed up; measured there 12 % faster) is neither a close call nor a surprise: padded's slow calls leave its
    /// fit once they are <see cref="EncodePlanner.MaxAge"/> choices old. Each way padded takes over well within the run.</summary>
    [Theory]
    [InlineData(1.1, 1.25, 160)]
    [InlineData(1.25, 1.6, 100)]
    [InlineData(1.1, 1.75, 200)]
    public void A_mode_timed_in_a_slow_spell_during_calibration_wins_back_its_batches(double packedCost, double slowdown, int batches)
    {
        var lengths = Enumerable.Range(0, 64).Select(j => j % 11).ToArray();
        var backend = new SimulatedBackend(0, packedCost * 1e-11, 0, 1e-11 * EncodePlanner.Flops((AdaTapeModelSpec)Spec.Model, Spec.Task, lengths, EncodeMode.Packed)
            / EncodePlanner.Flops((AdaTapeModelSpec)Spec.Model, Spec.Task, lengths, EncodeMode.Padded));
        Assert.Equal(EncodeMode.Padded, backend.Faster(lengths));
        var now = TimeSpan.Zero;
        var planner = new EncodePlanner(ElasticExecution.Auto, LengthGrouping.Exact, () => now);
        var modes = new List<EncodeMode>();
        for (var i = 0; i < batches; i++)
        {
            var calibrating = !planner.IsCalibrated;
            var mode = planner.Choose(Spec, lengths);
            if (!calibrating) modes.Add(mode);
            var slow = calibrating && mode == EncodeMode.Padded ? slowdown : 1.0;
            planner.Measure(mode, EncodePlanner.Flops((AdaTapeModelSpec)Spec.Model, Spec.Task, lengths, mode),
                () => now += TimeSpan.FromSeconds(slow * backend.Seconds(mode, lengths)));
        }
        Assert.Equal(EncodeMode.Packed, modes[0]);                                                        // misled at first
        var last = modes.TakeLast(40).ToList();
        Assert.True(last.Count(m => m == EncodeMode.Padded) >= last.Count - last.Count / EncodePlanner.ExploreEveryWhenClose - 1,
            $"{last.Count(m => m == EncodeMode.Padded)} of the last {last.Count} batches ran padded");
        Assert.True(planner.ExpectedFlopsPerSecond(EncodeMode.Padded) > planner.ExpectedFlopsPerSecond(EncodeMode.Packed)
            * EncodePlanner.Flops((AdaTapeModelSpec)Spec.Model, Spec.Task, lengths, EncodeMode.Padded)
            / EncodePlanner.Flops((AdaTapeModelSpec)Spec.Model, Spec.Task, lengths, EncodeMode.Packed),
            "the planner's expected rates put padded ahead once it has taken over");
    }

    [Fact]
    public void The_reference_pooling_is_never_packed()
    {
        var model = (AdaTapeModelSpec)Spec.Model;
        var reference = Spec with { Model = model with { Tape = model.Tape with { Pooling = TapePooling.Reference } } };
        var planner = new EncodePlanner(ElasticExecution.Packed, LengthGrouping.Exact);
        Assert.Equal(EncodeMode.Padded, planner.Choose(reference, [1, 2, 3]));
        Assert.Equal(EncodeMode.Packed, planner.Choose(Spec, [1, 2, 3]));
    }
}
