namespace AdaTapeDml.Core.Checkpoints;

/// <summary>Names used inside checkpoint files, shared by every backend.</summary>
public static class CheckpointKeys
{
    /// <summary>Metadata: identifies our files among other safetensors.</summary>
    public const string Format = "adatape.format";
    public const string FormatValue = "adatape-checkpoint-v1";
    /// <summary>Metadata: optimizer steps completed.</summary>
    public const string Step = "adatape.step";
    /// <summary>Metadata: the run spec JSON.</summary>
    public const string Spec = "adatape.spec";
    /// <summary>Tensor name prefixes: model weights and AdamW moments.</summary>
    public const string Model = "model.";
    public const string AdamFirst = "adam.m.";
    public const string AdamSecond = "adam.v.";
}
