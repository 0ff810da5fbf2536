namespace AdaTapeDml.Properties.TestHost;

/// <summary>Runs TorchSharp work on a pinned number of threads and restores the previous count afterwards. Tiny test
/// models gain nothing from two threads, and on a loaded 2-core machine OpenMP's spinning barriers made 300 training steps
/// take 260 s instead of 2 s; tests run serially, so the setting never leaks into another test.</summary>
public sealed class TorchThreads : IDisposable
{
    private readonly int previous = TorchSharp.torch.get_num_threads();

    private TorchThreads(int threads) => TorchSharp.torch.set_num_threads(threads);

    /// <summary>Pins TorchSharp to <paramref name="threads"/> threads until disposed.</summary>
    public static TorchThreads Pin(int threads = 1) => new(threads);

    public void Dispose() => TorchSharp.torch.set_num_threads(previous);
}
