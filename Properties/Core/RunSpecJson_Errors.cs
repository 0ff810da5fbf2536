using AdaTapeDml.Core.Serialization;
using AdaTapeDml.Core.Validation;
using AdaTapeDml.Pipelines.Specs;
using FsCheck;
using FsCheck.Fluent;

namespace AdaTapeDml.Properties.Core;

/// <summary>Bad JSON comes back as one <see cref="SpecError"/> with a path and a fix, never as an exception.</summary>
public sealed class RunSpecJson_Errors(ITestOutputHelper output)
{
    private static SpecError SingleError(string json)
    {
        var parsed = RunSpecJson.Parse(json);
        Assert.False(parsed.IsOk, $"expected an error for {json}");
        Assert.Null(parsed.Value);
        return Assert.Single(parsed.Errors);
    }

    [Fact]
    public void A_misspelt_top_level_field_is_named_with_a_suggestion()
    {
        var error = SingleError("""{ "nmae": "x" }""");

        Assert.Equal("$.nmae", error.Path);
        Assert.Contains("did you mean 'name'?", error.Allowed);
        Assert.Contains("training", error.Allowed);   // the known fields are listed
    }

    [Theory]
    [InlineData("""{ "model": { "kind": "adatape", "tape": { "actEpsilom": 2 } } }""", "$.model.tape.actEpsilom", "actEpsilon")]
    [InlineData("""{ "model": { "kind": "transformer", "encoder": { "widht": 64 } } }""", "$.model.encoder.widht", "width")]
    [InlineData("""{ "training": { "learningrate": 0.1 } }""", "$.training.learningrate", "learningRate")]
    [InlineData("""{ "task": { "kind": "parity", "seqLength": 8 } }""", "$.task.seqLength", "seqLen")]
    public void A_misspelt_nested_field_is_named_with_its_path_and_a_suggestion(string json, string path, string suggestion)
    {
        var error = SingleError(json);

        Assert.Equal(path, error.Path);
        Assert.Contains($"did you mean '{suggestion}'?", error.Allowed);
    }

    [Fact]
    public void An_unknown_field_unlike_any_known_one_gets_no_suggestion_but_the_known_fields()
    {
        var error = SingleError("""{ "zzzzzzzzzz": 1 }""");

        Assert.Equal("$.zzzzzzzzzz", error.Path);
        Assert.DoesNotContain("did you mean", error.Allowed);
        Assert.Contains("name, model, task, training", error.Allowed);
    }

    [Theory]
    [InlineData("""{ "model": { "kind": "adatap" } }""", "$.model.kind", "adatap", new[] { "adatape", "transformer", "ut" })]
    [InlineData("""{ "task": { "kind": "cifar" } }""", "$.task.kind", "cifar", new[] { "parity", "fashionMnist" })]
    [InlineData("""{ "model": { "kind": "adatape", "bank": { "kind": "tape" } } }""", "$.model.bank.kind", "tape", new[] { "learnable", "sequenceInput", "imageInput" })]
    public void An_unknown_kind_lists_the_allowed_kinds(string json, string path, string value, string[] kinds)
    {
        var error = SingleError(json);

        Assert.Equal(path, error.Path);
        Assert.Equal(value, error.Value);
        Assert.All(kinds, kind => Assert.Contains($"\"{kind}\"", error.Allowed));
    }

    [Theory]
    [InlineData("""{ "model": { "tape": {} } }""", "$.model.kind", "ut")]
    [InlineData("""{ "model": { "kind": "adatape", "bank": { "size": 9 } } }""", "$.model.bank.kind", "imageInput")]
    [InlineData("""{ "task": { "seqLen": 9 } }""", "$.task.kind", "fashionMnist")]
    public void A_missing_kind_is_named_at_its_path_with_the_allowed_kinds(string json, string path, string oneKind)
    {
        var error = SingleError(json);

        Assert.Equal(path, error.Path);
        Assert.Equal("(missing)", error.Value);
        Assert.Contains(oneKind, error.Allowed);
    }

    [Fact]
    public void Null_for_a_field_is_rejected_at_its_path()
    {
        var error = SingleError("""{ "name": null }""");

        Assert.Equal("$.name", error.Path);
        Assert.Equal("null", error.Value);
    }

    [Theory]
    [InlineData("""{ "name": "x", "model": {""")]
    [InlineData("{")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("""{ "name": "x", }""")]                 // trailing comma
    [InlineData("""{ /* comment */ }""")]
    [InlineData("""{ "training": { "seed": 1.5 } }""")]   // not an integer
    [InlineData("""{ "model": { "kind": "adatape", "tape": { "actLossType": "huber" } } }""")]
    [InlineData("[1, 2]")]
    [InlineData("null")]
    [InlineData("{} {}")]
    public void Malformed_json_yields_exactly_one_error_on_one_line(string json)
    {
        var error = SingleError(json);

        Assert.StartsWith("$", error.Path);
        Assert.DoesNotContain('\n', error.ToString());
    }

    [Fact]
    public void Every_truncation_of_a_valid_spec_yields_exactly_one_error()
    {
        var json = RunSpecJson.Serialize(ExampleSpecs.For("adatape", "fashion-mnist"));

        for (var length = 0; length < json.Length; length++)
        {
            var parsed = RunSpecJson.Parse(json[..length]);
            Assert.False(parsed.IsOk, $"prefix of length {length} parsed");
            Assert.Single(parsed.Errors);
        }
    }

    /// <summary>A valid spec with one character replaced by JSON punctuation, a digit or a letter.</summary>
    public static class Corruptions
    {
        public static Arbitrary<string> Corrupted()
        {
            var json = RunSpecJson.Serialize(ExampleSpecs.For("adatape", "parity"));
            return Arb.From(
                from position in Gen.Choose(0, json.Length - 1)
                from c in Gen.Elements('{', '}', '[', ']', '"', ':', ',', '0', '9', '-', 'x', 'e', ' ', '\\', '.')
                select json[..position] + c + json[(position + 1)..]);
        }
    }

    [Fact]
    public void A_corrupted_spec_parses_or_yields_exactly_one_error_and_never_throws() =>
        PropertyCheck.ForAll(Corruptions.Corrupted(), json =>
        {
            var parsed = RunSpecJson.Parse(json);
            Assert.True(parsed.IsOk ? parsed.Errors.Count == 0 && parsed.Value is not null : parsed.Errors.Count == 1, json);
        }, output, cases: 300);

    [Fact]
    public void Arbitrary_text_never_throws() =>
        PropertyCheck.ForAll(ArbMap.Default.ArbFor<NonNull<string>>(), text =>
        {
            var parsed = RunSpecJson.Parse(text.Get);
            Assert.True(parsed.IsOk || parsed.Errors.Count == 1, text.Get);
        }, output, cases: 300);
}
