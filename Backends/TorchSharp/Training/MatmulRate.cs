using System.Diagnostics;
using static TorchSharp.torch;

namespace AdaTapeDml.Backends.TorchSharp.Training;

/// <summary>The machine's practical fp32 peak as TorchSharp reaches it: a large square matmul, best of several runs.</summary>
public static class MatmulRate
{
    /// <summary>GFLOP/s of an n x n fp32 matmul (2 n^3 FLOPs), best of <paramref name="repeats"/> after one warm-up.</summary>
    public static double Measure(int n = 2048, int repeats = 5)
    {
        using var scope = NewDisposeScope();
        var a = randn(n, n);
        var b = randn(n, n);
        matmul(a, b).Dispose();
        var best = double.MaxValue;
        for (var i = 0; i < repeats; i++)
        {
            var clock = Stopwatch.StartNew();
            using var c = matmul(a, b);
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return 2.0 * n * n * n / best / 1e9;
    }
}
