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
/// At most <see cref="ElasticOptions.MaxInFlight"/> requests are admitted; further PredictAsync calls wait for room.</summary>
public sealed class AdaTapeInference : IDisposable
{
    private readonly Channel<InferenceRequest> queue;
    private readonly SemaphoreSlim room;
    private readonly ConcurrentDictionary<string, (string CallerId, TaskCompletionSource<Prediction> Done)> pending = new();
    private readonly Subject<Prediction> predictions = new();
    private readonly IDisposable subscription;
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
        subscription = ElasticPipeline.Create(requests, createSession, options, timer).Subscribe(Complete, Fail);
    }

    /// <summary>Starts a pipeline for <paramref name="config"/> with a backend from <paramref name="backends"/>.</summary>
    public static AdaTapeInference Create(InferenceConfig config, InferenceBackends backends) => new(backends.For(config), config.Options, null);

    /// <summary>Starts a pipeline over sessions made by <paramref name="createSession"/>; <paramref name="timer"/> runs the
    /// batching windows (default the system clock; a TestScheduler in tests).</summary>
    public static AdaTapeInference Create(Func<IInferenceSession> createSession, ElasticOptions options, IScheduler? timer = null) =>
        new(createSession, options, timer);

    /// <summary>Requests admitted and not yet answered (at most <see cref="ElasticOptions.MaxInFlight"/>).</summary>
    public int InFlight => pending.Count;

    /// <summary>Every prediction, as it is made (hot).</summary>
    public IObservable<Prediction> Predictions => predictions.AsObservable();

    /// <summary>Classifies one sample; waits for room when <see cref="ElasticOptions.MaxInFlight"/> requests are pending.</summary>
    public async Task<Prediction> PredictAsync(InferenceRequest request, CancellationToken cancel = default)
    {
        await room.WaitAsync(cancel).ConfigureAwait(false);
        var key = Interlocked.Increment(ref nextKey).ToString(CultureInfo.InvariantCulture);
        var done = new TaskCompletionSource<Prediction>(TaskCreationOptions.RunContinuationsAsynchronously);
        pending[key] = (request.Id, done);
        try
        {
            await queue.Writer.WriteAsync(request with { Id = key }, cancel).ConfigureAwait(false);
        }
        catch
        {
            pending.TryRemove(key, out _);
            room.Release();
            throw;
        }
        return await done.Task.WaitAsync(cancel).ConfigureAwait(false);
    }

    private void Complete(Prediction prediction)
    {
        if (!pending.TryRemove(prediction.Id, out var entry)) return;
        room.Release();
        var answer = prediction with { Id = entry.CallerId };
        predictions.OnNext(answer);
        entry.Done.TrySetResult(answer);
    }

    private void Fail(Exception error)
    {
        foreach (var key in pending.Keys)
            if (pending.TryRemove(key, out var entry)) entry.Done.TrySetException(error);
        predictions.OnError(error);
    }

    /// <summary>Stops the pipeline and disposes its sessions; pending requests are cancelled.</summary>
    public void Dispose()
    {
        queue.Writer.TryComplete();
        subscription.Dispose();
        foreach (var key in pending.Keys)
            if (pending.TryRemove(key, out var entry)) entry.Done.TrySetCanceled();
        predictions.OnCompleted();
        predictions.Dispose();
        room.Dispose();
    }
}
