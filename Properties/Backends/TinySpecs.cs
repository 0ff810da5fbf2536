using AdaTapeDml.Core.Specs;

namespace AdaTapeDml.Properties.Backends;

/// <summary>Small specs that train in milliseconds, for backend tests.</summary>
public static class TinySpecs
{
    public static readonly EncoderSpec Encoder = new(Width: 16, Depth: 2, Heads: 2, MlpDim: 32);

    public static RunSpec AdaTapeParity(int seqLen = 6, int steps = 12, TapeSpec? tape = null) => new(
        "tiny-adatape",
        new AdaTapeModelSpec(Encoder, tape ?? new TapeSpec(NumTapeTokens: 4, ActEpsilon: 2.0, SplitTt: 2, TtMlpDim: 16), new SequenceInputBankSpec()),
        new ParityTaskSpec(seqLen, EvalExamples: 50),
        new TrainingSpec(BatchSize: 16, Steps: steps, WarmupSteps: 2, EvalInterval: 5, CheckpointInterval: 5, Seed: 3));

    public static RunSpec Of(ModelSpec model, int seqLen = 6, int steps = 12) =>
        AdaTapeParity(seqLen, steps) with { Name = "tiny", Model = model };
}
