using System.Reactive.Concurrency;
using AdaTapeDml.Pipelines.Inference;

namespace AdaTapeDml.Properties.Pipelines;

/// <summary>A caller that gives up stops waiting at once, whether it was waiting for room or for its answer; a request
/// already admitted keeps its slot until the backend has finished it (native work cannot be abandoned half way), and the
/// pipeline goes on serving. Driven by gates and a batching clock that never moves, never by timing.</summary>
public sealed class AdaTapeInference_Cancellation
{
    private static readonly TimeSpan Safety = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Cancelled_callers_stop_waiting_and_admitted_work_still_finishes()
    {
        using var gate = new ManualResetEventSlim(false);
        using var entered = new SemaphoreSlim(0);
        var session = new FakeElasticSession(beforeRead: values =>
        {
            if (values[0] != 1) return;                                   // only request "a" (value 1) is held in READ
            entered.Release();
            gate.Wait();
        });
        using var inference = AdaTapeInference.Create(() => session,
            new ElasticOptions(MaxBatchSize: 1, MaxInFlight: 2, MaxBatchDelay: TimeSpan.FromSeconds(1)), new HistoricalScheduler());
        try
        {
            using var cancelB = new CancellationTokenSource();
            using var cancelC = new CancellationTokenSource();
            var a = inference.PredictAsync(new InferenceRequest("a", FakeElasticSession.Input(1)));
            Assert.True(await entered.WaitAsync(Safety), "request a never reached READ");
            var b = inference.PredictAsync(new InferenceRequest("b", FakeElasticSession.Input(2)), cancelB.Token);   // admitted, queued
            var c = inference.PredictAsync(new InferenceRequest("c", FakeElasticSession.Input(3)), cancelC.Token);   // waits for room
            Assert.Equal(2, inference.InFlight);
            Assert.False(c.IsCompleted);

            cancelC.Cancel();                                              // gives up while waiting for room
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => c.WaitAsync(Safety));
            cancelB.Cancel();                                              // gives up while admitted
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => b.WaitAsync(Safety));
            Assert.Equal(2, inference.InFlight);                           // a and b still hold their slots in the backend
            Assert.False(a.IsCompleted);

            gate.Set();
            Assert.Equal("a", (await a.WaitAsync(Safety)).Id);
            var d = await inference.PredictAsync(new InferenceRequest("d", FakeElasticSession.Input(4))).WaitAsync(Safety);
            Assert.Equal("d", d.Id);
            Assert.False(d.IsError);
            Assert.Equal(0, inference.InFlight);                           // b's slot came back when the backend finished it
            Assert.Equal([1, 1, 1], session.ReadSizes);                    // a, b and d were read; c never reached the backend
        }
        finally
        {
            gate.Set();
        }
    }
}
