namespace AdaTapeDml.Properties.Halting.Backends;

/// <summary>How far two float32 computations of the same logits may drift, by what differs between them.</summary>
public static class Tolerances
{
    /// <summary>The same sample computed along another kernel path: inside a batch of another shape (alone vs in a batch,
    /// padded Run vs ENCODE of one sample). Two identical calls agree bit for bit (the test run sets MKL_CBWR; see
    /// TestHost.ReproducibleMath). Each kernel path rounds differently, and a LayerNorm over a generated
    /// width of 2 or 4 amplifies that: 1e-5 was exceeded by generated cases (1.5e-5 on logits near 0.38; 1.1e-5 on padded
    /// Run vs exact ENCODE near -0.25; 1.3e-5 on a hidden state near -1.2 between two identical calls before MKL_CBWR was set) with tape lengths
    /// still equal, which are always compared exactly.</summary>
    public const double OtherKernelPath = 1e-4;
}
