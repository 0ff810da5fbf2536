using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Serialization;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Core.Validation;
using AdaTapeDml.Properties.Pipelines;

namespace AdaTapeDml.Properties.Core;

/// <summary>The k-holding knob pins k at the trained spec's value while tau moves; without it k follows floor(T / tau).
/// A pinned k survives the spec's JSON, is absent from specs that have none, and must be at least m.</summary>
public sealed class TapeOverride_HoldCandidates
{
    private static TapeSpec TapeOf(RunSpec spec) => ((AdaTapeModelSpec)spec.Model).Tape;

    [Theory]
    [InlineData(0.5)]
    [InlineData(1.0)]
    [InlineData(3.0)]
    public void Holding_keeps_the_trained_k_and_moving_follows_the_rule(double tau)
    {
        var trained = SavedTinyModels.AdaTapeSpec;                                   // T 6, tau 1.5: k = 4
        Assert.Equal(4, TapeOf(trained).CandidatesPerStep);
        var held = new TapeOverride(ActEpsilon: tau, HoldCandidates: true).ApplyOrThrow(trained);
        Assert.Equal((4, tau), (TapeOf(held).CandidatesPerStep, TapeOf(held).ActEpsilon));
        var moved = new TapeOverride(ActEpsilon: tau).ApplyOrThrow(trained);        // every k here fits the bank of 20
        Assert.Equal((int)Math.Floor(6 / tau), TapeOf(moved).CandidatesPerStep);
    }

    [Fact]
    public void A_pinned_k_round_trips_through_json_and_an_unpinned_spec_does_not_mention_it()
    {
        Assert.DoesNotContain("pinnedCandidates", RunSpecJson.Serialize(SavedTinyModels.AdaTapeSpec));
        var held = new TapeOverride(ActEpsilon: 1.0, HoldCandidates: true).ApplyOrThrow(SavedTinyModels.AdaTapeSpec);
        var parsed = RunSpecJson.Parse(RunSpecJson.Serialize(held));
        Assert.True(parsed.IsOk);
        Assert.Equal(4, TapeOf(parsed.Value!).PinnedCandidates);
    }

    [Fact]
    public void A_pinned_k_below_tokens_per_step_is_an_error_naming_the_field()
    {
        var spec = SavedTinyModels.AdaTapeSpec;
        var bad = spec with { Model = ((AdaTapeModelSpec)spec.Model) with { Tape = TapeOf(spec) with { NumTapeTokens = 6, TokensPerStep = 2, PinnedCandidates = 1 } } };
        Assert.Contains(SpecValidator.Validate(bad), e => e.Path.EndsWith("tape.pinnedCandidates", StringComparison.Ordinal));
    }
}
