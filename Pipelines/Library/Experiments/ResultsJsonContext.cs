using System.Text.Json.Serialization;

namespace AdaTapeDml.Pipelines.Experiments;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(ExperimentResult))]
[JsonSerializable(typeof(List<ExperimentResult>))]
public sealed partial class ResultsJsonContext : JsonSerializerContext;
