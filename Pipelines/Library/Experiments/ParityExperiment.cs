using AdaTapeDml.Core.Specs;

namespace AdaTapeDml.Pipelines.Experiments;

/// <summary>The built-in parity comparison: AdaTape against a Transformer and a Universal Transformer that each have
/// at least as many parameters, trained with the same steps, batch and schedule.</summary>
public static class ParityExperiment
{
    public static readonly IReadOnlyList<string> ModelNames = [ModelKinds.AdaTape, ModelKinds.Transformer, ModelKinds.UniversalTransformer];

    /// <summary>The spec of <paramref name="model"/> for parity of length <paramref name="seqLen"/>.</summary>
    /// <param name="seed">Seed of initialisation and of the training stream.</param>
    public static RunSpec SpecFor(string model, int seqLen, int? steps = null, int seed = 0)
    {
        var training = new TrainingSpec(Steps: steps ?? 4000, Seed: seed);
        training = training with { WarmupSteps = Math.Min(training.WarmupSteps, training.Steps), EvalInterval = Math.Max(1, training.Steps / 16), CheckpointInterval = Math.Max(1, training.Steps / 8) };
        // 6400 held-out examples as the reference, fewer only when 3^L is too small to leave unseen training data.
        var task = new ParityTaskSpec(seqLen, (int)Math.Min(6400, Math.Floor(Math.Pow(3, Math.Min(seqLen, 20)) / 2)));
        ModelSpec spec = model switch
        {
            // The reference parity model: whole sequence as one token, per-element input-driven bank.
            ModelKinds.AdaTape => new AdaTapeModelSpec(),
            // Same width, two more blocks than AdaTape's four so that its parameter count is at least AdaTape's.
            ModelKinds.Transformer => new TransformerModelSpec(new EncoderSpec(Depth: 6)),
            // One shared block applied up to 12 times; wider so that its parameter count is at least AdaTape's.
            ModelKinds.UniversalTransformer => new UniversalTransformerModelSpec(new EncoderSpec(Width: 256, Heads: 8, MlpDim: 1536, Depth: 1)),
            _ => throw new ArgumentOutOfRangeException(nameof(model), model, $"one of {string.Join(", ", ModelNames)}"),
        };
        return new RunSpec($"{model}-parity{seqLen}", spec, task, training);
    }

    /// <summary>The experiment plan of the named models (each trained under <paramref name="budgetPerModel"/>).</summary>
    public static ExperimentPlan Plan(IReadOnlyList<RunSpec> specs, IReadOnlyList<string> names, string root, TimeSpan budgetPerModel,
        IReadOnlyList<ExperimentPlot>? plots = null) =>
        new($"Parity, sequence length {((ParityTaskSpec)specs[0].Task).SeqLen}", root,
            names.Zip(specs, (n, s) => new ExperimentEntry(n, s)).ToList(), budgetPerModel,
            [
                "Held-out accuracy on the evaluation stream (examples never seen in training). Chance is 50%.",
                "Examples seen = steps x batch: every model gets the same steps, batch and schedule; a model cut by the cap saw fewer.",
                "FLOPs come from the Core cost model (matmul work only), averaged over the evaluation set's tape lengths (AdaTape) or steps (UT).",
            ],
            Plots: plots, SpecOptions: "the --steps, --seq-len and --seed");
}
