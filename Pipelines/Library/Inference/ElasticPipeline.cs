using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Reactive.Linq;
using AdaTapeDml.Core.Contracts;

namespace AdaTapeDml.Pipelines.Inference;

/// <summary>Elastic inference as an Rx composition: requests -> micro-batches (by count and time) -> READ -> ENCODE (one
/// packed or padded call, chosen per micro-batch by a calibrated cost model) -> predictions carrying the request ids. Each micro-batch runs on one
/// session's own thread; several sessions give concurrency. Disposing the subscription stops the work and disposes the
/// sessions (and their native memory).</summary>
public static class ElasticPipeline
{
    /// <param name="requests">The request stream (cold or hot); its completion completes the predictions.</param>
    /// <param name="createSession">Makes one backend session; called once per session on that session's thread.</param>
    /// <param name="options">Batching, grouping, sessions, ordering.</param>
    /// <param name="timer">Scheduler of the batching timer and the batch deadline (virtual in tests); default the system clock.</param>
    /// <param name="incidents">Receives one line per incident no request is answered about (a session retired past its
    /// deadline, a failed disposal); called on pipeline threads, so it should be quick. Default: ignored.</param>
    /// <param name="planner">The ENCODE planner to use and keep calibrating (e.g. one calibrated earlier); default a new
    /// one for <paramref name="options"/>' execution.</param>
    public static IObservable<Prediction> Create(IObservable<InferenceRequest> requests, Func<IInferenceSession> createSession,
        ElasticOptions options, IScheduler? timer = null, Action<string>? incidents = null, EncodePlanner? planner = null)
    {
        var problems = options.Problems();
        if (problems.Count > 0) throw new ArgumentException(string.Join("; ", problems), nameof(options));
        var clock = timer ?? DefaultScheduler.Instance;
        return Observable.Using(
            () => new SessionPool(createSession, options.Sessions, options.Deadline, clock, Reporter(incidents)),
            pool => Compose(requests, pool, options, clock, planner ?? new EncodePlanner(options.Execution, options.LengthGroups)));
    }

    /// <summary>A report callback that never throws: it runs on session threads, where an exception would end the process.</summary>
    private static Action<string> Reporter(Action<string>? incidents) => message =>
    {
        try { incidents?.Invoke(message); }
        catch (Exception) { /* a failing listener must not take the pipeline down */ }
    };

    private static IObservable<Prediction> Compose(IObservable<InferenceRequest> requests, SessionPool pool, ElasticOptions options, IScheduler timer,
        EncodePlanner planner)
    {
        var numbered = requests.Select((request, index) => (Request: request, Index: (long)index));
        var batches = MicroBatching.Batches(numbered, options, timer);
        var predictions = batches
            .Select(batch => pool.Run(batch.Select(b => b.Request).ToArray(), planner)
                .Select(answers => answers.Select((prediction, i) => (Prediction: prediction, batch[i].Index))))
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
