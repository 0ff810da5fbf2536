using System.Diagnostics;
using System.Runtime;
using AdaTapeDml.Core.Contracts;

namespace AdaTapeDml.Pipelines.Inference;

/// <summary>The load and memory check: 8 producers push requests through the bounded app entry point
/// (<see cref="AdaTapeInference"/>); every answer is checked against the padded prediction of its sample, and process
/// memory after a warm-up is compared with memory after the run.</summary>
public static class ElasticLoadCheck
{
    public const int Producers = 8;
    public const int WarmUpRequests = 10_000;

    /// <param name="Requests">Requests sent after the warm-up.</param>
    /// <param name="Answered">Predictions the pipeline emitted for them.</param>
    /// <param name="Wrong">Answers with another id, an error or another class than padded execution gives.</param>
    /// <param name="MemoryAfterWarmUp">Process working set (bytes) after the warm-up, garbage settled.</param>
    /// <param name="MemoryAfter">The same after the run.</param>
    /// <param name="ManagedAfterWarmUp">Bytes of live .NET objects after the warm-up (most of the rest of the working set is
    /// native: the backend's allocations, code, stacks).</param>
    /// <param name="ManagedAfter">The same after the run.</param>
    public sealed record Result(int Requests, long Answered, long Wrong, TimeSpan Elapsed, long MemoryAfterWarmUp, long MemoryAfter,
        long ManagedAfterWarmUp, long ManagedAfter)
    {
        public double MemoryGrowth => (MemoryAfter - MemoryAfterWarmUp) / (double)MemoryAfterWarmUp;
    }

    public static Result Run(IInferenceSession session, IReadOnlyList<InferenceRequest> samples, int total, ElasticOptions options)
    {
        var expected = ElasticBenchmark.Padded(session, samples, options.MaxBatchSize).Select(p => p.Class).ToArray();
        using var inference = AdaTapeInference.Create(() => new BorrowedSession(session), options with { Sessions = 1 });
        // Each producer keeps at most its share of MaxInFlight requests outstanding, as a client with a window does. With
        // every request sent at once, each of the 100,000 callers waiting for room held a registration on the pipeline's
        // cancellation source, whose node pool keeps its peak size: the .NET heap grew with the number of requests sent.
        var window = Math.Max(1, options.MaxInFlight / Producers);
        long Send(int n, int offset)
        {
            var wrong = 0L;
            Parallel.For(0, Producers, producer =>
            {
                var mine = Enumerable.Range(0, n / Producers + (producer < n % Producers ? 1 : 0));
                foreach (var chunk in mine.Chunk(window))
                {
                    var answers = chunk.Select(async i =>
                    {
                        var index = (offset + producer + Producers * i) % samples.Count;
                        var p = await inference.PredictAsync(new InferenceRequest($"{producer}:{i}", samples[index].Input));
                        return p.Id == $"{producer}:{i}" && !p.IsError && p.Class == expected[index];
                    }).ToArray();
                    Interlocked.Add(ref wrong, Task.WhenAll(answers).GetAwaiter().GetResult().Count(ok => !ok));
                }
            });
            return wrong;
        }
        Send(Math.Min(total, WarmUpRequests), 0);
        var (afterWarmUp, managedAfterWarmUp) = SettledMemory();
        var clock = Stopwatch.StartNew();
        var seen = 0L;
        using (inference.Predictions.Subscribe(_ => Interlocked.Increment(ref seen)))
        {
            var wrong = Send(total, 1);
            var elapsed = clock.Elapsed;
            var (after, managedAfter) = SettledMemory();
            return new Result(total, Interlocked.Read(ref seen), wrong, elapsed, afterWarmUp, after, managedAfterWarmUp, managedAfter);
        }
    }

    /// <summary>The working set, and the live .NET objects, after full compacting blocking collections with finalizers run,
    /// so garbage and uncompacted large-object space that a single collection can leave are not counted as growth.</summary>
    private static (long WorkingSet, long Managed) SettledMemory()
    {
        for (var i = 0; i < 2; i++)
        {
            GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
        using var process = Process.GetCurrentProcess();
        return (process.WorkingSet64, GC.GetTotalMemory(forceFullCollection: false));
    }
}
