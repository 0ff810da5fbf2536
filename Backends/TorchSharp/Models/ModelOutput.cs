using static TorchSharp.torch;

namespace AdaTapeDml.Backends.TorchSharp.Models;

/// <summary>What a forward pass returns.</summary>
/// <param name="Logits">[B, classes].</param>
/// <param name="AuxLoss">[B] per-sample regulariser: ATR loss (AdaTape), ponder cost (UT), zeros otherwise.</param>
/// <param name="TapeLengths">[B] int64 tape lengths (AdaTape only).</param>
/// <param name="Steps">Recurrent steps computed (UT only).</param>
public sealed record ModelOutput(Tensor Logits, Tensor AuxLoss, Tensor? TapeLengths = null, int? Steps = null);
