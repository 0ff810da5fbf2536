using System.Text.Json.Serialization;
using AdaTapeDml.Core.Serialization;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Properties.Backends;

namespace AdaTapeDml.Properties.Core;

/// <summary>One vocabulary of model kinds: spec JSON writes the words of <see cref="ModelKinds"/>, and the old spelling
/// "universalTransformer" is still read.</summary>
public sealed class ModelKinds_Vocabulary
{
    [Fact]
    public void Spec_json_kinds_are_the_vocabulary_words()
    {
        var discriminators = typeof(ModelSpec).GetCustomAttributes(typeof(JsonDerivedTypeAttribute), false).Cast<JsonDerivedTypeAttribute>()
            .ToDictionary(a => a.DerivedType, a => (string)a.TypeDiscriminator!);

        Assert.Equal(ModelKinds.All.Order(), discriminators.Values.Order());
        Assert.Equal(ModelKinds.AdaTape, ModelKinds.NameOf(new AdaTapeModelSpec()));
        Assert.Equal(discriminators[typeof(TransformerModelSpec)], ModelKinds.NameOf(new TransformerModelSpec()));
        Assert.Equal(discriminators[typeof(UniversalTransformerModelSpec)], ModelKinds.NameOf(new UniversalTransformerModelSpec()));
    }

    [Fact]
    public void A_universal_transformer_is_written_as_ut()
    {
        var json = RunSpecJson.Serialize(TinySpecs.Of(new UniversalTransformerModelSpec(TinySpecs.Encoder)));

        Assert.Contains("\"kind\": \"ut\"", json);
        Assert.DoesNotContain("universalTransformer", json);
    }

    [Fact]
    public void The_old_spelling_is_read_as_the_same_model()
    {
        var spec = TinySpecs.Of(new UniversalTransformerModelSpec(TinySpecs.Encoder, new ActHaltingSpec(MaxSteps: 5)));
        var old = RunSpecJson.Serialize(spec).Replace("\"kind\": \"ut\"", "\"kind\": \"universalTransformer\"");

        var parsed = RunSpecJson.Parse(old);

        Assert.True(parsed.IsOk, string.Join("; ", parsed.Errors));
        Assert.Equal(spec, parsed.Value);
        Assert.Equal("ut", ModelKinds.Resolve("universalTransformer"));
        Assert.Null(ModelKinds.Resolve("lstm"));
    }
}
