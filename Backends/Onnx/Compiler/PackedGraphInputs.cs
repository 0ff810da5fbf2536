using AdaTapeDml.Backends.Onnx.Graph;
using DataType = AdaTapeDml.Backends.Onnx.Proto.TensorProto.Types.DataType;

namespace AdaTapeDml.Backends.Onnx.Compiler;

/// <summary>The graph inputs of packed ENCODE that carry a <see cref="Core.Layout.PackedLayout"/>: index tensors in int32
/// (DirectML's Gather has known int64 problems), the key bias and the pooling weights.</summary>
/// <param name="PadIndex">[B, Lmax] int32 packed row at each attention position.</param>
/// <param name="UnpadIndex">[rows] int32 attention position (in the flattened [B·Lmax]) of each packed row.</param>
/// <param name="KeyBias">[B, 1, 1, Lmax] float 0 or -1e9.</param>
/// <param name="PoolWeights">[B, Lmax, 1] float.</param>
/// <param name="InputRowIndex">[B·n] int32 0..B·n-1, the input rows; with <paramref name="TapeRowIndex"/> ([tape rows] int32
/// B·n..rows-1) inputs only of a model with a separate tape feed-forward in its blocks (encTtMlpDim), which splits the rows
/// by them (a Gather: DirectML wants Slice bounds as constants).</param>
public sealed record PackedGraphInputs(string PadIndex, string UnpadIndex, string KeyBias, string PoolWeights, string? InputRowIndex, string? TapeRowIndex)
{
    public static PackedGraphInputs Declare(OnnxGraphBuilder g, bool splitsTapeRows) => new(
        g.Input(StageNames.PadIndex, DataType.Int32, StageNames.BatchDim, StageNames.PackedLengthDim),
        g.Input(StageNames.UnpadIndex, DataType.Int32, StageNames.RowsDim),
        g.Input(StageNames.KeyBias, DataType.Float, StageNames.BatchDim, 1, 1, StageNames.PackedLengthDim),
        g.Input(StageNames.PoolWeights, DataType.Float, StageNames.BatchDim, StageNames.PackedLengthDim, 1),
        splitsTapeRows ? g.Input(StageNames.InputRowIndex, DataType.Int32, StageNames.InputRowsDim) : null,
        splitsTapeRows ? g.Input(StageNames.TapeRowIndex, DataType.Int32, StageNames.TapeRowsDim) : null);
}
