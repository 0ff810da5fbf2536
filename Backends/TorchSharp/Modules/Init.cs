using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AdaTapeDml.Backends.TorchSharp.Modules;

/// <summary>The reference's initialisers: xavier-uniform kernels with tiny normal biases, BERT truncated normals.
/// Everything is drawn on the CPU: <see cref="Models.ModelFactory"/> builds models there and then moves them.</summary>
internal static class Init
{
    /// <summary>A Linear layer initialised as flax Dense in the reference (xavier uniform, bias N(0, 1e-6)).</summary>
    public static Linear Dense(long inFeatures, long outFeatures)
    {
        var layer = nn.Linear(inFeatures, outFeatures);
        using var _ = no_grad();
        nn.init.xavier_uniform_(layer.weight);
        nn.init.normal_(layer.bias!, 0, 1e-6);
        return layer;
    }

    /// <summary>A parameter drawn from N(0, 0.02) cut at 2 std (BERT), as the reference's tape bank.</summary>
    /// (Drawn by redrawing out-of-range values: TorchSharp 0.107's trunc_normal_ filled whole rows with one constant,
    /// which a LayerNorm then maps to zero.)
    public static Parameter TruncatedNormal(params long[] shape)
    {
        using var scope = NewDisposeScope();
        var t = randn(shape, device: CPU);
        for (var outside = t.abs().gt(KeptScalars.Two); outside.any().item<bool>(); outside = t.abs().gt(KeptScalars.Two))
            t = where(outside, randn(shape, device: CPU), t);
        return new Parameter(t.mul(Std).MoveToOuterDisposeScope());
    }

    /// <summary>A parameter drawn from N(0, 0.02): position embeddings.</summary>
    public static Parameter Normal(params long[] shape) => new(randn(shape, device: CPU).mul(Std));

    /// <summary>0.02, the reference's initialiser std.</summary>
    private static readonly Scalar Std = 0.02.ToScalar();
}
