using AdaTapeDml.Core.Serialization;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Pipelines.Specs;

namespace AdaTapeDml.Properties.Core;

/// <summary>Serialize then Parse gives back an equal spec (records, nested records included, compare by value).</summary>
public sealed class RunSpecJson_RoundTrip
{
    public static TheoryData<string, string> Examples()
    {
        var data = new TheoryData<string, string>();
        foreach (var model in ExampleSpecs.ModelNames)
            foreach (var task in new[] { "parity", "fashion-mnist" }) data.Add(model, task);
        return data;
    }

    private static RunSpec RoundTrip(RunSpec spec)
    {
        var parsed = RunSpecJson.Parse(RunSpecJson.Serialize(spec));
        Assert.True(parsed.IsOk, string.Join("; ", parsed.Errors));
        return parsed.Value!;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Every_example_spec_round_trips(string model, string task)
    {
        var spec = ExampleSpecs.For(model, task);

        Assert.Equal(spec, RoundTrip(spec));
    }

    [Fact]
    public void Non_default_values_in_every_nested_record_round_trip()
    {
        RunSpec[] specs =
        [
            new RunSpec
            {
                Name = "every knob",
                Model = new AdaTapeModelSpec(
                    new EncoderSpec(Width: 64, Depth: 3, Heads: 2, MlpDim: 96, Dropout: 0.125, Classifier: Classifier.Token, PatchSize: 7),
                    new TapeSpec(NumTapeTokens: 12, TokensPerStep: 3, ActEpsilon: 1.5, ActLossWeight: 0.25, ActLossType: ActLossType.Max,
                        ComplexQuery: false, QueryNoise: 0.1, BankMaskP: 0.2, SplitTt: 8, TtMlpDim: 0, EncTtMlpDim: 32,
                        AddTapeAtLayer: 2, Pooling: TapePooling.Reference),
                    new LearnableBankSpec(33)),
                Task = new FashionMnistTaskSpec("/tmp/some where/ünïcode"),
                Training = new TrainingSpec(LearningRate: 3e-4, Beta1: 0.8, Beta2: 0.95, WeightDecay: 0, WarmupSteps: 7, Cosine: false,
                    ClipNorm: 0, BatchSize: 3, Steps: 11, Seed: -5, EvalInterval: 2, CheckpointInterval: 9),
            },
            new RunSpec { Model = new UniversalTransformerModelSpec(new EncoderSpec(Width: 32), new ActHaltingSpec(3, 0.5, 2.5, 0)) },
            new RunSpec { Model = new AdaTapeModelSpec { Bank = new ImageInputBankSpec(7) }, Task = new ParityTaskSpec(5, 1) },
        ];

        Assert.All(specs, spec => Assert.Equal(spec, RoundTrip(spec)));
    }

    [Fact]
    public void Round_trip_distinguishes_a_changed_nested_value()
    {
        // Guards the test above: equality really looks into nested records.
        var a = new RunSpec();
        var b = new RunSpec { Model = new AdaTapeModelSpec { Tape = new TapeSpec(ActEpsilon: 2.5) } };

        Assert.NotEqual(a, b);
        Assert.NotEqual(a, RoundTrip(b));
    }

    [Fact]
    public void Empty_object_parses_to_the_default_spec()
    {
        var parsed = RunSpecJson.Parse("{}");

        Assert.True(parsed.IsOk);
        Assert.Equal(new RunSpec(), parsed.Value);
    }

    [Fact]
    public void A_partial_object_fills_the_rest_with_defaults()
    {
        var parsed = RunSpecJson.Parse("""{ "model": { "kind": "adatape", "tape": { "actEpsilon": 3 } } }""");

        Assert.True(parsed.IsOk, string.Join("; ", parsed.Errors));
        Assert.Equal(new RunSpec { Model = new AdaTapeModelSpec { Tape = new TapeSpec(ActEpsilon: 3) } }, parsed.Value);
    }

    [Fact]
    public void The_kind_may_come_after_the_other_fields()
    {
        var parsed = RunSpecJson.Parse("""{ "model": { "encoder": { "width": 64 }, "kind": "transformer" } }""");

        Assert.True(parsed.IsOk, string.Join("; ", parsed.Errors));
        Assert.Equal(new TransformerModelSpec(new EncoderSpec(Width: 64)), parsed.Value!.Model);
    }

    [Fact]
    public void Json_uses_the_reference_knob_names_and_enum_names()
    {
        var json = RunSpecJson.Serialize(new RunSpec());

        foreach (var name in new[] { "\"kind\": \"adatape\"", "\"numTapeTokens\": 10", "\"actEpsilon\": 2", "\"tokensPerStep\": 1",
                     "\"actLossType\": \"entropy\"", "\"pooling\": \"validOnly\"", "\"classifier\": \"gap\"", "\"optimizer\": \"adamw\"",
                     "\"kind\": \"sequenceInput\"", "\"kind\": \"parity\"" })
            Assert.Contains(name, json);
        Assert.DoesNotContain("candidatesPerStep", json, StringComparison.OrdinalIgnoreCase);   // derived, [JsonIgnore]
        Assert.DoesNotContain("numClasses", json, StringComparison.OrdinalIgnoreCase);
    }
}
