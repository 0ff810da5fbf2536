using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Cost;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Properties.Backends;

namespace AdaTapeDml.Properties.Core;

/// <summary>FLOPs per sample from what each sample adapts: the mean and std over samples of the cost model at each
/// sample's own tape length, and the UT's cost at a fractional mean step count.</summary>
public sealed class SampleCosts_PerSample
{
    [Fact]
    public void Tape_lengths_give_the_mean_and_std_of_each_samples_own_cost()
    {
        var spec = TinySpecs.AdaTapeParity();
        int[] lengths = [0, 1, 1, 4, 2];
        var each = lengths.Select(l => (double)CostModel.Forward(spec.Model, spec.Task, l).Total).ToArray();
        var mean = each.Average();

        var (adaptive, flops) = SampleCosts.OfTapeLengths(spec, lengths);

        Assert.Equal(mean, flops.Mean, 6);
        Assert.Equal(Math.Sqrt(each.Sum(f => (f - mean) * (f - mean)) / each.Length), flops.Std, 6);
        Assert.True(flops.Std > 0);
        Assert.Equal(new AdaptiveStatistic(SampleCosts.TapeTokens, 1.6, adaptive!.Std), adaptive);
        Assert.Equal(Math.Sqrt(lengths.Sum(l => (l - 1.6) * (l - 1.6)) / 5), adaptive.Std, 9);
    }

    [Fact]
    public void An_evaluation_histogram_gives_what_its_lengths_give()
    {
        var spec = TinySpecs.AdaTapeParity();
        var eval = new EvalResult(1, 0.5, 1, 0, 0, 5, [1, 2, 1, 0, 1]);                  // lengths 0, 1, 1, 2, 4

        Assert.Equal(SampleCosts.OfTapeLengths(spec, [0, 1, 1, 4, 2]), SampleCosts.Of(spec, eval));
    }

    [Fact]
    public void A_ut_between_two_step_counts_costs_between_them_and_a_fixed_model_has_no_statistic()
    {
        var spec = TinySpecs.Of(new UniversalTransformerModelSpec(TinySpecs.Encoder));
        double At(int steps) => CostModel.Forward(spec.Model, spec.Task, utSteps: steps).Total;

        var (adaptive, flops) = SampleCosts.Of(spec, new EvalResult(1, 0.5, 1, 3.25, 0, 10, []));

        Assert.Equal(At(3) + 0.25 * (At(4) - At(3)), flops.Mean, 6);
        Assert.Equal(SampleCosts.UtSteps, adaptive!.Name);
        var fixedModel = TinySpecs.Of(new TransformerModelSpec(TinySpecs.Encoder));
        Assert.Equal((null, new FlopsDistribution(CostModel.Forward(fixedModel.Model, fixedModel.Task).Total, 0)), SampleCosts.Of(fixedModel, new EvalResult(1, 0.5, 1, 0, 0, 10, [])));
    }
}
