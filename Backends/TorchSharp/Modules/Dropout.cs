using static TorchSharp.torch;

namespace AdaTapeDml.Backends.TorchSharp.Modules;

/// <summary>Dropout that makes no native call where it would return its input (inference, or p = 0): READ on parity at
/// batch 64 is about fifteen tensor operations in 0.4 ms, so each call that does nothing is worth leaving out.</summary>
internal static class Dropout
{
    public static Tensor Apply(Tensor x, double p, bool training) => training && p > 0 ? nn.functional.dropout(x, p, training) : x;
}
