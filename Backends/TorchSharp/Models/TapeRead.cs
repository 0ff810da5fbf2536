using AdaTapeDml.Backends.TorchSharp.Atr;
using static TorchSharp.torch;

namespace AdaTapeDml.Backends.TorchSharp.Models;

/// <summary>The READ stage's result: hidden states before the tape layer and the tape, ready for ENCODE.</summary>
/// <param name="Hidden">[B, n, D] tokens after the blocks before addTapeAtLayer.</param>
/// <param name="Tape">[B, L, D] tape tokens as the ATR merged them (ENCODE applies the tape MLP), L = the batch's longest tape (T with the reference
/// pooling); slots beyond a sample's own length are padding.</param>
/// <param name="Lengths">[B] int64 tape lengths.</param>
/// <param name="Atr">The ATR trace (loss, halting sums, indices, weights).</param>
public sealed record TapeRead(Tensor Hidden, Tensor Tape, Tensor Lengths, TorchAtrOutput Atr);
