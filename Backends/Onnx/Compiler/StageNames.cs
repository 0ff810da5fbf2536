namespace AdaTapeDml.Backends.Onnx.Compiler;

/// <summary>Input, output and free-dimension names of the emitted graphs: the contract between export, sessions and
/// the manifest.</summary>
public static class StageNames
{
    public const string Input = "input";
    public const string Logits = "logits";
    public const string Lengths = "lengths";
    public const string Hidden = "hidden";
    /// <summary>A-ViT: [B, N] int64 layers each token went through.</summary>
    public const string Depths = "depths";
    /// <summary>Universal Transformer: [B] int64 steps until each sample's positions all halted.</summary>
    public const string Steps = "steps";
    public const string Tape = "tape";
    /// <summary>READ output of a traced graph: [B, S, k] int64 bank indices per step, -1 where nothing was merged.</summary>
    public const string TraceIndices = "trace_indices";
    /// <summary>READ output of a traced graph: [B, S, k] their weights.</summary>
    public const string TraceWeights = "trace_weights";
    /// <summary>Free dimension: samples per call.</summary>
    public const string BatchDim = "batch";
    /// <summary>Free dimension of ENCODE's tape input: pinned per session with a free-dimension override.</summary>
    public const string TapeLengthDim = "tape_length";
}
