namespace AdaTapeDml.Pipelines.Training;

/// <summary>The files of a run folder.</summary>
public sealed record RunDirectory(string Root)
{
    public string Spec => Path.Combine(Root, "spec.json");
    /// <summary>Weights + AdamW state + step: what --resume continues from.</summary>
    public string Checkpoint => Path.Combine(Root, "checkpoint.safetensors");
    /// <summary>Final weights only: what eval, export and inference load.</summary>
    public string Weights => Path.Combine(Root, "model.safetensors");
    public string StepMetrics => Path.Combine(Root, "metrics.csv");
    public string Evaluations => Path.Combine(Root, "evals.csv");
    public string Result => Path.Combine(Root, "result.json");
}
