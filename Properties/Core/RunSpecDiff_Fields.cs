using AdaTapeDml.Core.Serialization;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Properties.Backends;

namespace AdaTapeDml.Properties.Core;

/// <summary>What a resumed run is told when its spec changed: every differing field by its JSON path, old -> new; a
/// changed model kind as one difference; equal specs (including equal lists built separately) as none.</summary>
public sealed class RunSpecDiff_Fields
{
    [Fact]
    public void Equal_specs_have_no_differences()
    {
        Assert.Empty(RunSpecDiff.Between(TinySpecs.AdaTapeParity(), TinySpecs.AdaTapeParity()));
        Assert.Empty(RunSpecDiff.Between(new RunSpec(), new RunSpec()));
    }

    [Fact]
    public void Each_changed_field_is_named_with_its_old_and_new_value()
    {
        var spec = TinySpecs.AdaTapeParity(steps: 10);
        var changed = spec with
        {
            Training = spec.Training with { Steps = 20, LearningRate = 0.5 },
            Model = ((AdaTapeModelSpec)spec.Model) with { Tape = ((AdaTapeModelSpec)spec.Model).Tape with { ActEpsilon = 1.5 } },
        };
        Assert.Equal(["model.tape.actEpsilon: 2 -> 1.5", "training.learningRate: 0.001 -> 0.5", "training.steps: 10 -> 20"],
            RunSpecDiff.Between(spec, changed).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Another_model_kind_is_one_difference()
    {
        var spec = TinySpecs.AdaTapeParity();
        var other = spec with { Model = new TransformerModelSpec(TinySpecs.Encoder) };
        Assert.Equal(["model: kind \"adatape\" -> kind \"transformer\""], RunSpecDiff.Between(spec, other));
    }
}
