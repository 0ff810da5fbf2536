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
    /// <summary>READ output: [B, D] the pooled query, before the shared LayerNorm (the host runs the ATR on it).</summary>
    public const string Query = "query";
    /// <summary>READ output of an input-driven bank: [B, N, D] before the shared LayerNorm (a learned bank is a weight).</summary>
    public const string Bank = "bank";
    /// <summary>Packed ENCODE inputs (<see cref="Core.Layout.PackedLayout"/>).</summary>
    public const string PadIndex = "pad_index";
    public const string UnpadIndex = "unpad_index";
    public const string KeyBias = "key_bias";
    public const string PoolWeights = "pool_weights";
    public const string InputRowIndex = "input_row_index";
    public const string TapeRowIndex = "tape_row_index";
    /// <summary>Free dimension: samples per call.</summary>
    public const string BatchDim = "batch";
    /// <summary>Free dimension of ENCODE's tape input: pinned per session with a free-dimension override.</summary>
    public const string TapeLengthDim = "tape_length";
    /// <summary>Free dimensions of packed ENCODE: packed tape rows, all packed rows, and Lmax (the attention length).</summary>
    public const string TapeRowsDim = "tape_rows";
    public const string RowsDim = "rows";
    public const string InputRowsDim = "input_rows";
    public const string PackedLengthDim = "packed_length";
}
