using AdaTapeDml.Core.Contracts;

namespace AdaTapeDml.Server;

/// <summary>A parsed, validated infer request: the caller's id, one model input per sample (as the pipeline reads it),
/// the compute knob (null = as trained) and the outputs asked for (null = all).</summary>
public sealed record InferRequest(string? Id, float[][] Samples, TapeOverride? Knob, IReadOnlySet<string>? Outputs);
