using System.Reactive.Concurrency;
using System.Reactive.Linq;

namespace AdaTapeDml.Pipelines.Inference;

/// <summary>The batching stage of the elastic pipeline: a micro-batch goes as soon as it holds
/// <see cref="ElasticOptions.MaxBatchSize"/> requests, or when its time window of <see cref="ElasticOptions.BatchDelay"/>
/// closes with at least one request in it; empty windows emit nothing. Pure Rx over a scheduler, so tests drive the
/// clock (virtual time) instead of waiting for it.</summary>
public static class MicroBatching
{
    public static IObservable<IList<T>> Batches<T>(IObservable<T> items, ElasticOptions options, IScheduler timer) =>
        items.Buffer(options.BatchDelay, options.MaxBatchSize, timer).Where(batch => batch.Count > 0);
}
