using AdaTapeDml.Core.Serialization;

namespace AdaTapeDml.Properties.Validation;

/// <summary>A valid spec is data: written to JSON and read back it is the same spec (records compare by value, nested
/// ones included), and writing it again gives the same text.</summary>
public sealed class RunSpecJson_RoundTripProperty(ITestOutputHelper output)
{
    [Fact]
    public void Every_valid_spec_survives_a_json_round_trip_unchanged() =>
        PropertyCheck.ForAll(ValidSpecs.Any(), spec =>
        {
            var json = RunSpecJson.Serialize(spec);
            var parsed = RunSpecJson.Parse(json);
            Assert.True(parsed.IsOk, string.Join("; ", parsed.Errors));
            Assert.Equal(spec, parsed.Value);
            Assert.Equal(json, RunSpecJson.Serialize(parsed.Value!));
        }, output, cases: 500);
}
