using AdaTapeDml.Core.Layout;
using static TorchSharp.torch;

namespace AdaTapeDml.Backends.TorchSharp.Models;

/// <summary>A <see cref="PackedLayout"/> as tensors on the model's device: what packed ENCODE's attention and pooling
/// gather and scatter by.</summary>
/// <param name="Layout">The host layout.</param>
/// <param name="PadIndex">[B·Lmax] int64 packed row at each attention position.</param>
/// <param name="UnpadIndex">[rows] int64 attention position of each packed row.</param>
/// <param name="KeyBias">[B, 1, 1, Lmax] additive key mask (-inf on padding), or null when no position is padding.</param>
/// <param name="PoolWeights">[B, Lmax, 1] pooling weights.</param>
public sealed record PackedTokens(PackedLayout Layout, Tensor PadIndex, Tensor UnpadIndex, Tensor? KeyBias, Tensor PoolWeights)
{
    public static PackedTokens From(PackedLayout layout, Device device)
    {
        var (b, lmax) = (layout.Count, layout.MaxLength);
        Tensor? bias = null;
        if (layout.Valid.Any(v => !v))
        {
            var values = layout.Valid.Select(v => v ? 0f : float.NegativeInfinity).ToArray();
            bias = tensor(values, [b, 1, 1, lmax], device: device);
        }
        return new PackedTokens(layout,
            tensor(layout.PadIndex.Select(i => (long)i).ToArray(), device: device),
            tensor(layout.UnpadIndex.Select(i => (long)i).ToArray(), device: device),
            bias,
            tensor(layout.PoolWeights, [b, lmax, 1], device: device));
    }

    /// <summary>Packed rows [rows, C] gathered into attention positions [B, Lmax, C].</summary>
    public Tensor Pad(Tensor rows) => rows.index_select(0, PadIndex).view(Layout.Count, Layout.MaxLength, -1);

    /// <summary>Attention positions [B, Lmax, C] back to packed rows [rows, C].</summary>
    public Tensor Unpad(Tensor positions) => positions.reshape(Layout.Count * Layout.MaxLength, -1).index_select(0, UnpadIndex);
}
