using AdaTapeDml.Core.Halting;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Core.Validation;

namespace AdaTapeDml.Properties.Core;

/// <summary>A-ViT specs: the defaults are valid on both tasks; each bad halting value is named by its field path, all at
/// once; the classifier must be the class token; the prior's target distribution is a distribution.</summary>
public sealed class SpecValidator_Avit
{
    private static RunSpec Avit(Func<TokenHaltingSpec, TokenHaltingSpec> change, EncoderSpec? encoder = null, TaskSpec? task = null) => new()
    {
        Model = new AvitModelSpec(encoder, change(new TokenHaltingSpec())),
        Task = task ?? new FashionMnistTaskSpec(),
    };

    [Fact]
    public void Default_avit_is_valid_on_images_and_parity()
    {
        Assert.Empty(SpecValidator.Validate(Avit(h => h)));
        Assert.Empty(SpecValidator.Validate(Avit(h => h, task: new ParityTaskSpec())));
    }

    [Theory]
    [InlineData(0.0, "model.halting.gateScale")]
    [InlineData(-1.0, "model.halting.gateScale")]
    [InlineData(double.NaN, "model.halting.gateScale")]
    public void Gate_scale_must_be_positive(double scale, string path) =>
        Assert.Equal([path], Paths(Avit(h => h with { GateScale = scale })));

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    public void Eps_must_lie_strictly_between_0_and_1(double eps) =>
        Assert.Equal(["model.halting.eps"], Paths(Avit(h => h with { Eps = eps })));

    [Theory]
    [InlineData(-1)]
    [InlineData(4)]                                  // the default encoder has depth 4: layers 0..3
    [InlineData(12)]
    public void Target_depth_must_be_a_layer_of_the_encoder(int target)
    {
        var errors = SpecValidator.Validate(Avit(h => h with { PriorTargetDepth = target }));
        var error = Assert.Single(errors);
        Assert.Equal("model.halting.priorTargetDepth", error.Path);
        Assert.Contains("depth - 1 = 3", error.Allowed);
    }

    [Fact]
    public void Every_bad_value_is_reported_at_once()
    {
        var spec = Avit(h => h with { GateScale = 0, Eps = 2, PonderScale = -1, PriorWeight = double.NaN, PriorTargetDepth = 9, PriorStd = 0, GateCenter = double.PositiveInfinity });
        Assert.Equal(
            ["model.halting.eps", "model.halting.gateCenter", "model.halting.gateScale", "model.halting.ponderScale", "model.halting.priorStd", "model.halting.priorTargetDepth", "model.halting.priorWeight"],
            Paths(spec).Order());
    }

    [Fact]
    public void Mean_pooling_is_refused_because_avit_classifies_the_class_token()
    {
        var errors = SpecValidator.Validate(Avit(h => h, new EncoderSpec(Classifier: Classifier.Gap)));
        var error = Assert.Single(errors);
        Assert.Equal("model.encoder.classifier", error.Path);
        Assert.Equal("gap", error.Value);
    }

    [Theory]
    [InlineData(4, 2, 1.0)]
    [InlineData(6, 4, 1.0)]
    [InlineData(5, 4, 0.5)]                          // target at the last layer: no later layers, all mass up to it
    [InlineData(6, 0, 2.0)]
    public void Prior_target_is_a_distribution_with_its_mass_up_to_the_target(int depth, int target, double std)
    {
        var prior = HaltingPrior.Target(depth, new TokenHaltingSpec(PriorTargetDepth: target, PriorStd: std));
        Assert.Equal(depth, prior.Length);
        Assert.Equal(1.0, prior.Sum(), 12);
        Assert.All(prior, p => Assert.True(p > 0));
        Assert.Equal(target == depth - 1 ? 1.0 : HaltingPrior.MassUpToTarget, prior[..(target + 1)].Sum(), 12);
        Assert.Equal(target, Array.IndexOf(prior, prior.Max()));
    }

    private static IEnumerable<string> Paths(RunSpec spec) => SpecValidator.Validate(spec).Select(e => e.Path);
}
