using System.Text.Json.Serialization;
using AdaTapeDml.Core.Specs;

namespace AdaTapeDml.Core.Serialization;

/// <summary>Source-generated System.Text.Json metadata for run specs: strict (unknown fields, nulls, trailing
/// commas and comments are errors) so that a misspelt knob never silently falls back to its default.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    AllowOutOfOrderMetadataProperties = true,
    UseStringEnumConverter = true,
    WriteIndented = true,
    IndentSize = 2)]
[JsonSerializable(typeof(RunSpec))]
public sealed partial class SpecJsonContext : JsonSerializerContext;
