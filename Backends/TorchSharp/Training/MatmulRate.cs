using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace AdaTapeDml.Backends.TorchSharp.Training;

/// <summary>The device's practical fp32 peak as TorchSharp reaches it: a large square matmul, best of several runs.</summary>
public static class MatmulRate
{
    /// <summary>GFLOP/s of an n x n fp32 matmul (2 n^3 FLOPs) on <paramref name="device"/> (null: cpu), best of
    /// <paramref name="repeats"/> after one warm-up.</summary>
    public static double Measure(int n = 2048, int repeats = 5, Device? device = null)
    {
        using var scope = NewDisposeScope();
        device ??= CPU;
        var a = randn(n, n, device: device);
        var b = randn(n, n, device: device);
        matmul(a, b).Dispose();
        Synchronize(device);
        var best = double.MaxValue;
        for (var i = 0; i < repeats; i++)
        {
            var clock = Stopwatch.StartNew();
            using var c = matmul(a, b);
            Synchronize(device);                                                                   // CUDA kernels run asynchronously
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return 2.0 * n * n * n / best / 1e9;
    }

    private static void Synchronize(Device device)
    {
        if (device.type == DeviceType.CUDA) cuda.synchronize(device);
    }
}
