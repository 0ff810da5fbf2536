namespace AdaTapeDml.Pipelines.Inference;

/// <summary>One sample to classify: row-major input values of the model's input shape ([L, 3] one-hot for parity,
/// [1, 28, 28] for images), tagged with the caller's id.</summary>
public sealed record InferenceRequest(string Id, float[] Input);
