using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Reactive.Linq;
using AdaTapeDml.Core.Contracts;

namespace AdaTapeDml.Pipelines.Inference;

/// <summary>Elastic inference as an Rx composition: requests -> micro-batches (by count and time) -> READ -> group by
/// tape length -> ENCODE each group at its length -> predictions carrying the request ids. Each micro-batch runs on one
/// session's own thread; several sessions give concurrency. Disposing the subscription stops the work and disposes the
/// sessions (and their native memory).</summary>
public static class ElasticPipeline
{
    /// <param name="requests">The request stream (cold or hot); its completion completes the predictions.</param>
    /// <param name="createSession">Makes one backend session; called once per session on that session's thread.</param>
    /// <param name="options">Batching, grouping, sessions, ordering.</param>
    /// <param name="timer">Scheduler of the batching timer (a TestScheduler in tests); default the system clock.</param>
    public static IObservable<Prediction> Create(IObservable<InferenceRequest> requests, Func<IInferenceSession> createSession,
        ElasticOptions options, IScheduler? timer = null)
    {
        var problems = options.Problems();
        if (problems.Count > 0) throw new ArgumentException(string.Join("; ", problems), nameof(options));
        return Observable.Using(
            () => new SessionPool(createSession, options.Sessions),
            pool => Compose(requests, pool, options, timer ?? DefaultScheduler.Instance));
    }

    private static IObservable<Prediction> Compose(IObservable<InferenceRequest> requests, SessionPool pool, ElasticOptions options, IScheduler timer)
    {
        var numbered = requests.Select((request, index) => (Request: request, Index: (long)index));
        var batches = MicroBatching.Batches(numbered, options, timer);
        var predictions = batches
            .Select(batch => pool.Run(worker => ElasticBatch.Execute(worker.Session, batch.Select(b => b.Request).ToArray(), options.LengthGroups)
                .Select((prediction, i) => (Prediction: prediction, batch[i].Index))))
            .Merge(options.Sessions)
            .SelectMany(results => results);
        return options.Ordered ? Reorder(predictions) : predictions.Select(p => p.Prediction);
    }

    /// <summary>Re-emits predictions in request arrival order, holding early ones back until their predecessors arrive.</summary>
    private static IObservable<Prediction> Reorder(IObservable<(Prediction Prediction, long Index)> source) =>
        Observable.Create<Prediction>(observer =>
        {
            var pending = new SortedDictionary<long, Prediction>();
            var next = 0L;
            return source.Subscribe(
                item =>
                {
                    pending[item.Index] = item.Prediction;
                    while (pending.Remove(next, out var ready))
                    {
                        observer.OnNext(ready);
                        next++;
                    }
                },
                observer.OnError,
                observer.OnCompleted);
        });
}
