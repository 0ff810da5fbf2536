namespace AdaTapeDml.Core.Contracts;

/// <summary>How one ENCODE call computes a whole READ batch.</summary>
public enum EncodeMode
{
    /// <summary>Padding-free: per-token work over the tokens that exist, attention per sample (<see cref="Layout.PackedLayout"/>).</summary>
    Packed,
    /// <summary>Every sample over the batch's longest tape, shorter tapes masked: dense [B, n + Lmax] tensors.</summary>
    Padded,
}
