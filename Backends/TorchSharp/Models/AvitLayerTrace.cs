using static TorchSharp.torch;

namespace AdaTapeDml.Backends.TorchSharp.Models;

/// <summary>A-ViT's state after one layer, for tests and diagnostics.</summary>
/// <param name="Output">[B, N, D] the halting-weighted output so far.</param>
/// <param name="Cumulative">[B, N] each token's cumulative halting score c.</param>
public sealed record AvitLayerTrace(Tensor Output, Tensor Cumulative);
