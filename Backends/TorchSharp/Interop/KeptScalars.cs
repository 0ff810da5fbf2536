using TorchSharp;
using static TorchSharp.torch;

namespace AdaTapeDml.Backends.TorchSharp.Interop;

/// <summary>Scalars that outlive the native calls they are passed to.
/// TorchSharp 0.107 hands libtorch the handle of a <see cref="Scalar"/> and then drops its last managed reference, so a
/// temporary Scalar (an implicit conversion such as <c>x * 0.5</c>, or the alpha TorchSharp itself adds to <c>a + b</c>)
/// can be finalized by a garbage collection on another thread while libtorch still reads it: the call then fails with
/// "Expected false to be true ... toFloat" or computes with garbage. This bit 16 of 20,000 requests served by
/// `adatape serve` on the torch backend. BannedSymbols.txt forbids those temporaries in this project; use the constants
/// and helpers here, and for a value known only at run time a local <c>using var s = value.ToScalar();</c>, which keeps
/// the Scalar alive until the end of its scope.</summary>
internal static class KeptScalars
{
    // Static fields are rooted for the life of the process, so these are never finalized. Integral values serve every
    // dtype (libtorch refuses a floating alpha for integer tensors, not the reverse).
    public static readonly Scalar Zero = 0L.ToScalar();
    public static readonly Scalar One = 1L.ToScalar();
    public static readonly Scalar Two = 2L.ToScalar();
    public static readonly Scalar MinusOne = (-1L).ToScalar();
    public static readonly Scalar NegativeInfinity = float.NegativeInfinity.ToScalar();
    /// <summary>A finite stand-in for minus infinity where a row may be masked entirely (softmax stays finite).</summary>
    public static readonly Scalar MinusBillion = (-1e9f).ToScalar();

    /// <summary>a + b.</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, One);

    /// <summary>1 - a.</summary>
    public static Tensor OneMinus(this Tensor a) => a.neg().add(One, One);
}
