using System.Text.Json.Serialization;

namespace AdaTapeDml.Pipelines.Experiments;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(ModelResult))]
[JsonSerializable(typeof(List<ModelResult>))]
public sealed partial class ResultsJsonContext : JsonSerializerContext;
