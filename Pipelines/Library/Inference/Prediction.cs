namespace AdaTapeDml.Pipelines.Inference;

/// <summary>The answer to one request: its id, the predicted class, the logits and class probabilities, and the tape
/// length read, or an error for that request only (the stream goes on). <paramref name="Trace"/>: per ATR step, the bank
/// entries read and their weights, when the session was opened to trace (<see cref="InferenceConfig.Trace"/>).
/// <paramref name="HaltingSteps"/>: a Universal Transformer's steps for this sample; <paramref name="MeanTokenDepth"/>: an
/// A-ViT's mean token depth for this sample (null for other kinds).</summary>
public sealed record Prediction(string Id, int Class, float[] Logits, float[] Probabilities, int TapeLength, string? Error = null,
    AdaTapeDml.Core.Contracts.TapeReadStep[]? Trace = null, int? HaltingSteps = null, double? MeanTokenDepth = null)
{
    public bool IsError => Error is not null;

    public static Prediction Failed(string id, string error) => new(id, -1, [], [], 0, error);
}
