using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using static TorchSharp.torch;

namespace AdaTapeDml.Backends.TorchSharp.Interop;

/// <summary>The one thread on which this process's inference sessions and trainers call libtorch.
/// libtorch's GNU OpenMP gives every thread that starts a parallel region a worker pool of its own, kept until that
/// thread exits. Once two such threads are alive their pools outnumber the cores, libgomp stops spinning at its
/// barriers and every small operation waits for a wake-up. Measured on this 2-core machine (scratch loops, parity
/// model at batch 64): READ 0.6 -> 1.8 ms and padded ENCODE 4 -> 11 ms per call when another live thread had done one
/// matrix product; a small MLP's training step 5.9 -> 9.5 ms. A pipeline's session thread, a benchmark's main thread and
/// a training thread are such threads, so every native call goes through here and the process keeps one pool.
/// A call made on this thread runs inline (a trainer's evaluation, a session inside a job). Each call carries the
/// caller's torch thread count, so <c>set_num_threads</c> on the calling thread still decides how many threads its work
/// uses (libgomp keeps that setting per thread).</summary>
public static class TorchThread
{
    private static readonly BlockingCollection<Job> queue = new();
    private static readonly Thread thread = Start();

    /// <summary>Whether the calling thread is the torch thread.</summary>
    public static bool IsCurrent => Thread.CurrentThread == thread;

    /// <summary>Runs <paramref name="work"/> on the torch thread and returns its result (or throws its exception).</summary>
    public static T Run<T>(Func<T> work)
    {
        if (IsCurrent) return work();
        var job = new Job<T>(work, get_num_threads());
        queue.Add(job);
        return job.Result();
    }

    /// <summary>Runs <paramref name="work"/> on the torch thread and waits for it.</summary>
    public static void Run(Action work) => Run(() =>
    {
        work();
        return true;
    });

    private static Thread Start()
    {
        var started = new Thread(() =>
        {
            foreach (var job in queue.GetConsumingEnumerable()) job.Execute();
        }) { Name = "adatape-torch", IsBackground = true };
        started.Start();
        return started;
    }

    private abstract class Job
    {
        public abstract void Execute();
    }

    private sealed class Job<T>(Func<T> work, int threads) : Job
    {
        private readonly ManualResetEventSlim done = new(false, spinCount: 0);   // a spinning caller would take a core from the OpenMP workers
        private T? value;
        private ExceptionDispatchInfo? failure;

        public override void Execute()
        {
            try
            {
                if (get_num_threads() != threads) set_num_threads(threads);
                value = work();
            }
            catch (Exception e) { failure = ExceptionDispatchInfo.Capture(e); }
            finally { done.Set(); }
        }

        public T Result()
        {
            done.Wait();
            done.Dispose();
            failure?.Throw();
            return value!;
        }
    }
}
