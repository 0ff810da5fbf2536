using System.Collections.Concurrent;
using System.Globalization;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using System.Threading.Channels;
using AdaTapeDml.Core.Contracts;

namespace AdaTapeDml.Pipelines.Inference;

/// <summary>The app-facing entry point: an elastic inference pipeline behind an async API with backpressure.
/// <code>
/// using var inference = AdaTapeInference.Create(new InferenceConfig("runs/parity/adatape/model.safetensors"), backends);
/// var prediction = await inference.PredictAsync(new InferenceRequest("a", input));
/// </code>
/// At most <see cref="ElasticOptions.MaxInFlight"/> requests are admitted; further PredictAsync calls wait for room.
/// Every admitted request gets exactly one answer: its prediction, an error prediction naming what went wrong with it
/// (bad input, a backend failure, a missed deadline), or cancellation when the caller cancels or the pipeline is disposed.</summary>
public sealed class AdaTapeInference : IDisposable
{
    private readonly Channel<InferenceRequest> queue;
    private readonly SemaphoreSlim room;
    private readonly CancellationTokenSource stopping = new();
    private readonly ConcurrentDictionary<string, (string CallerId, TaskCompletionSource<Prediction> Done)> pending = new();
    private readonly Subject<Prediction> predictions = new();
    private readonly Subject<string> incidents = new();
    private readonly object gate = new();                              // orders stop and dispose against admission
    private readonly object reporting = new();                         // incidents come from several session threads
    private readonly IDisposable subscription;
    private readonly ManualResetEventSlim released = new();            // set once the pipeline has disposed its sessions
    private string? stoppedBecause;
    private volatile bool disposed;
    private bool incidentsClosed;
    private long nextKey;

    private AdaTapeInference(Func<IInferenceSession> createSession, ElasticOptions options, IScheduler? timer)
    {
        queue = Channel.CreateBounded<InferenceRequest>(new BoundedChannelOptions(options.MaxInFlight) { SingleReader = true });
        room = new SemaphoreSlim(options.MaxInFlight, options.MaxInFlight);
        var requests = Observable.Create<InferenceRequest>(async (observer, cancel) =>
        {
            await foreach (var request in queue.Reader.ReadAllAsync(cancel).ConfigureAwait(false)) observer.OnNext(request);
            observer.OnCompleted();
        });
        Exception? startFailure = null;
        subscription = ElasticPipeline.Create(requests, createSession, options, timer, Report)
            .Finally(released.Set)                                     // runs after the session pool's disposal
            .Subscribe(Complete, error => { startFailure = error; Stop(error); });
        if (startFailure is not null)                                  // the backend could not start: say so to the creator
        {
            Dispose();
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(startFailure).Throw();
        }
    }

    /// <summary>Starts a pipeline for <paramref name="config"/> with a backend from <paramref name="backends"/>; throws when
    /// the backend cannot start its sessions.</summary>
    public static AdaTapeInference Create(InferenceConfig config, InferenceBackends backends) => new(backends.For(config), config.Options, null);

    /// <summary>Starts a pipeline over sessions made by <paramref name="createSession"/>, with batching delays and batch
    /// deadlines measured on <paramref name="timer"/> (default the system clock; a virtual one in tests).</summary>
    public static AdaTapeInference Create(Func<IInferenceSession> createSession, ElasticOptions options, IScheduler? timer = null) =>
        new(createSession, options, timer);

    /// <summary>Requests admitted and not yet answered (at most <see cref="ElasticOptions.MaxInFlight"/>).</summary>
    public int InFlight => pending.Count;

    /// <summary>Every prediction, as it is made (hot). Completes when the pipeline is disposed or stops.</summary>
    public IObservable<Prediction> Predictions => predictions.AsObservable();

    /// <summary>One line per incident that no single request is answered about: a session retired past its deadline, a
    /// session that failed to dispose, a pipeline that stopped (hot).</summary>
    public IObservable<string> Incidents => incidents.AsObservable();

    /// <summary>Classifies one sample; waits for room when <see cref="ElasticOptions.MaxInFlight"/> requests are pending.
    /// A bad input (missing, of the wrong shape, not finite) is answered with an error prediction for this request alone.</summary>
    /// <exception cref="ArgumentNullException">The request itself is null.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled, or the pipeline was disposed, before the answer.</exception>
    public async Task<Prediction> PredictAsync(InferenceRequest request, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ObjectDisposedException.ThrowIf(disposed, this);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancel, stopping.Token);
        await room.WaitAsync(either.Token).ConfigureAwait(false);
        var key = Interlocked.Increment(ref nextKey).ToString(CultureInfo.InvariantCulture);
        var done = new TaskCompletionSource<Prediction>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (gate)
        {
            if (disposed || stoppedBecause is not null) room.Release();
            if (disposed) throw new OperationCanceledException("the inference pipeline was disposed", stopping.Token);
            if (stoppedBecause is not null) return Prediction.Failed(request.Id, stoppedBecause);
            pending[key] = (request.Id, done);
        }
        try
        {
            await queue.Writer.WriteAsync(request with { Id = key }, either.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            if (pending.TryRemove(key, out _)) room.Release();
            if (e is ChannelClosedException) throw new OperationCanceledException("the inference pipeline was disposed", e, stopping.Token);
            throw;
        }
        return await done.Task.WaitAsync(cancel).ConfigureAwait(false);
    }

    private void Complete(Prediction prediction)
    {
        if (!pending.TryRemove(prediction.Id, out var entry)) return;
        room.Release();
        var answer = prediction with { Id = entry.CallerId };
        entry.Done.TrySetResult(answer);
        // Not under a lock: a subscriber may dispose this pipeline, which waits for the other session threads.
        if (!disposed) Guarded(() => predictions.OnNext(answer));
    }

    /// <summary>The pipeline itself failed (not one request): every pending and later request is answered with the cause.</summary>
    private void Stop(Exception error)
    {
        var message = $"the inference pipeline stopped: {error.Message.ReplaceLineEndings(" ")}";
        lock (gate)
        {
            stoppedBecause = message;
            foreach (var key in pending.Keys)
                if (pending.TryRemove(key, out var entry))
                {
                    room.Release();                                    // callers waiting for room get the answer below
                    entry.Done.TrySetResult(Prediction.Failed(entry.CallerId, message));
                }
        }
        Report(message);
        Guarded(predictions.OnCompleted);
    }

    private void Report(string incident)
    {
        lock (reporting)
            if (!incidentsClosed) Guarded(() => incidents.OnNext(incident));
    }

    // Subscribers run on pipeline threads, where an exception would end the process.
    private static void Guarded(Action emit)
    {
        try { emit(); }
        catch (Exception) { /* a failing subscriber must not take the pipeline down */ }
    }

    /// <summary>Waits until the session pool is disposed. Rx disposes it once: when the completing pipeline started that on
    /// another thread, disposing the subscription returns at once (a full-suite CI run caught Dispose returning before an
    /// idle session was released). Not on a session thread: the disposal under way may be waiting for this very thread.</summary>
    private void WaitForRelease()
    {
        if (!SessionWorker.OnSessionThread) released.Wait();
    }

    /// <summary>Stops the pipeline and disposes its sessions (an idle session at once; one busy in a call when that call
    /// returns); every pending request, and every caller waiting for room, is cancelled. Returns once the idle sessions are
    /// released, also when another thread (a second Dispose, the completing pipeline) started that. Never throws.</summary>
    public void Dispose()
    {
        bool first;
        lock (gate)
        {
            first = !disposed;
            disposed = true;
        }
        if (!first)
        {
            WaitForRelease();                                          // another thread's Dispose is under way
            return;
        }
        stopping.Cancel();
        queue.Writer.TryComplete();
        subscription?.Dispose();
        WaitForRelease();
        foreach (var key in pending.Keys)
            if (pending.TryRemove(key, out var entry)) entry.Done.TrySetCanceled();
        Guarded(predictions.OnCompleted);
        lock (reporting)
        {
            incidentsClosed = true;                                    // after the sessions' disposal, which may report
            Guarded(incidents.OnCompleted);
        }
    }
}
