using AdaTapeDml.Core.Specs;
using AdaTapeDml.Core.Validation;
using AdaTapeDml.Pipelines.Specs;

namespace AdaTapeDml.Properties.Core;

/// <summary>Each rule of <see cref="SpecValidator"/> broken alone on the default spec names exactly the broken field; every
/// built-in example is valid; nulls never make it throw. (Several rules broken at once, on generated specs: see
/// Validation/SpecValidation_InvalidSpecs.)</summary>
public sealed class SpecValidator_Rules
{
    private static RunSpec Tape(Func<TapeSpec, TapeSpec> change) => new() { Model = new AdaTapeModelSpec { Tape = change(new TapeSpec()) } };
    private static RunSpec Encoder(Func<EncoderSpec, EncoderSpec> change) => new() { Model = new AdaTapeModelSpec { Encoder = change(new EncoderSpec()) } };
    private static RunSpec Training(Func<TrainingSpec, TrainingSpec> change) => new() { Training = change(new TrainingSpec()) };
    private static RunSpec Act(Func<ActHaltingSpec, ActHaltingSpec> change) => new() { Model = new UniversalTransformerModelSpec { Act = change(new ActHaltingSpec()) } };
    private static readonly FashionMnistTaskSpec Fashion = new();

    /// <summary>Every rule of <see cref="InvalidSpecs"/>, by name. The default spec (AdaTape, sequence bank, parity L = 16,
    /// T = 10, tau = 2 so k = 5, width 128, 4 heads, depth 4) is valid, so each break applied to it must yield errors at
    /// its field and nowhere else. (The properties in Validation/ apply the same breaks to generated specs.)</summary>
    public static TheoryData<string> BrokenRules() => [.. InvalidSpecs.All.Select(b => b.Rule)];

    public static TheoryData<string, string> Examples()
    {
        var data = new TheoryData<string, string>();
        foreach (var model in ExampleSpecs.ModelNames)
            foreach (var task in new[] { "parity", "fashion-mnist" }) data.Add(model, task);
        return data;
    }

    [Theory]
    [MemberData(nameof(BrokenRules))]
    public void A_rule_broken_alone_yields_errors_at_exactly_its_field(string rule)
    {
        var breaker = InvalidSpecs.All.Single(b => b.Rule == rule);

        var errors = SpecValidator.Validate(breaker.Apply(new RunSpec()));

        Assert.Equal([breaker.Path], errors.Select(e => e.Path).Distinct());
        Assert.All(errors, e => Assert.False(string.IsNullOrWhiteSpace(e.Value) || string.IsNullOrWhiteSpace(e.Allowed), $"empty value or fix in {e}"));
    }

    [Fact]
    public void The_default_spec_is_valid() => Assert.Empty(SpecValidator.Validate(new RunSpec()));

    [Theory]
    [MemberData(nameof(Examples))]
    public void Every_example_spec_is_valid(string model, string task) =>
        Assert.Empty(SpecValidator.Validate(ExampleSpecs.For(model, task)));

    [Fact]
    public void Boundary_values_are_accepted()
    {
        RunSpec[] valid =
        [
            Tape(t => t with { ActEpsilon = 10 }),                                   // tau = T: k = 1
            Tape(t => t with { NumTapeTokens = 10, TokensPerStep = 5 }),             // m = k = 5
            Tape(t => t with { AddTapeAtLayer = 0 }),
            Tape(t => t with { AddTapeAtLayer = 3 }),                                // depth - 1
            Tape(t => t with { TtMlpDim = 0, SplitTt = 128 }),                       // tape MLP off, dk = 1
            new RunSpec { Task = new ParityTaskSpec(SeqLen: 5, EvalExamples: 121) }, // seqLen = k; 121 = floor(243 / 2)
            new RunSpec { Task = new ParityTaskSpec(SeqLen: 1024) },
            new RunSpec { Model = new AdaTapeModelSpec { Bank = new LearnableBankSpec(5) } },   // size = k
            new RunSpec { Model = new AdaTapeModelSpec { Bank = new LearnableBankSpec(5) }, Task = Fashion },
            Training(t => t with { WarmupSteps = 4000, ClipNorm = 0, WeightDecay = 0 }),
            Act(a => a with { Threshold = 1.0 }),
        ];

        Assert.All(valid, spec => Assert.Empty(SpecValidator.Validate(spec)));
    }

    [Fact]
    public void An_error_shows_the_value_and_what_is_allowed()
    {
        var error = Assert.Single(SpecValidator.Validate(Encoder(e => e with { Heads = 3 })));

        Assert.Equal("model.encoder.width", error.Path);
        Assert.Equal("128", error.Value);
        Assert.Contains("3", error.Allowed);
        Assert.StartsWith("model.encoder.width = 128: ", error.ToString());
    }

    [Fact]
    public void Nulls_everywhere_are_reported_not_thrown()
    {
        Assert.Equal(["$"], SpecValidator.Validate(null).Select(e => e.Path));

        var spec = new RunSpec() with { Name = null!, Model = null!, Task = null!, Training = null! };

        Assert.Equal(["model", "name", "task", "training"], SpecValidator.Validate(spec).Select(e => e.Path).Order());
    }

    [Fact]
    public void Nulls_inside_a_model_with_a_null_task_are_reported_not_thrown()
    {
        var spec = new RunSpec { Model = new AdaTapeModelSpec() with { Encoder = null!, Tape = null!, Bank = null! } } with { Task = null! };

        Assert.Equal(["model.bank", "model.encoder", "model.tape", "task"], SpecValidator.Validate(spec).Select(e => e.Path).Order());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void A_non_positive_tape_length_is_reported_at_numTapeTokens(int numTapeTokens)
    {
        var errors = SpecValidator.Validate(Tape(t => t with { NumTapeTokens = numTapeTokens }));

        // Core currently also reports a derived "model.tape.tokensPerStep = 1: at most k = floor(T / tau) = 0" here,
        // although tokensPerStep is fine (see the test report); only the primary error is pinned.
        Assert.Contains(errors, e => e.Path == "model.tape.numTapeTokens" && e.Value == numTapeTokens.ToString());
        Assert.DoesNotContain(errors, e => e.Path == "model.tape.tokensPerStep");   // only the broken field is named
    }
}
