using System.Collections.Concurrent;
using System.Reactive.Linq;
using AdaTapeDml.Backends.Onnx.Runtime;
using AdaTapeDml.Backends.TorchSharp.Inference;
using AdaTapeDml.Backends.TorchSharp.Interop;
using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Pipelines.Inference;

namespace AdaTapeDml.Properties.Pipelines;

/// <summary>A micro-batch changes threads once: the pipeline runs its READ and ENCODE calls together where the session
/// makes its native calls (TorchSharp: the torch thread, so each call runs there inline; ONNX Runtime: the session's
/// worker thread), and a failure inside still reaches the pipeline as that call's failure.</summary>
public sealed class ElasticPipeline_OneThreadChange
{
    /// <summary>Records, for every call the pipeline makes, whether it ran on the torch thread and on a session worker.</summary>
    private sealed class WhereCalled(IInferenceSession inner, Func<TapeReadBatch?>? failRead = null) : SessionDecorator(inner)
    {
        public readonly ConcurrentQueue<(string Call, bool TorchThread, bool SessionWorker)> Calls = new();

        public override TapeReadBatch Read(float[] inputs, int count)
        {
            Calls.Enqueue(("READ", TorchThread.IsCurrent, SessionWorker.OnSessionThread));
            return failRead?.Invoke() ?? base.Read(inputs, count);
        }

        public override float[] EncodeBatch(TapeReadBatch read, EncodeMode mode)
        {
            Calls.Enqueue(("ENCODE", TorchThread.IsCurrent, SessionWorker.OnSessionThread));
            return base.EncodeBatch(read, mode);
        }

        public override void Dispose() { }
    }

    private static List<Prediction> Predict(IInferenceSession session, int requests, int batch)
    {
        var seqLen = ((ParityTaskSpec)session.Spec.Task).SeqLen;
        var inputs = Enumerable.Range(0, requests)
            .Select(i => new InferenceRequest($"r{i}", AdaTapeDml.Core.Tasks.Parity.OneHot([Enumerable.Range(0, seqLen).Select(j => (sbyte)((i + j) % 3 - 1)).ToArray()], seqLen)))
            .ToArray();
        // Micro-batches close by count only (and the last on completion), so the batches are the same on any machine.
        var options = new ElasticOptions(MaxBatchSize: batch, MaxBatchDelay: TimeSpan.FromHours(1), Sessions: 1, MaxInFlight: 64);
        return ElasticPipeline.Create(inputs.ToObservable(), () => session, options).ToEnumerable().ToList();
    }

    [Fact]
    public void TorchSharp_calls_of_a_micro_batch_run_inline_on_the_torch_thread()
    {
        using var inner = new TorchInferenceSession(SavedTinyModels.AdaTape);
        var session = new WhereCalled(inner);
        var predictions = Predict(session, requests: 12, batch: 4);

        Assert.All(predictions, p => Assert.False(p.IsError, p.Error));
        Assert.Equal(6, session.Calls.Count);                                                  // 3 micro-batches x (READ, ENCODE)
        Assert.All(session.Calls, c => Assert.True(c.TorchThread, $"{c.Call} ran off the torch thread"));
    }

    [Fact]
    public void Onnx_calls_of_a_micro_batch_run_on_the_session_worker()
    {
        using var inner = new OnnxInferenceSession(SavedTinyModels.AdaTape);
        var session = new WhereCalled(inner);
        var predictions = Predict(session, requests: 8, batch: 4);

        Assert.All(predictions, p => Assert.False(p.IsError, p.Error));
        Assert.Equal(4, session.Calls.Count);
        Assert.All(session.Calls, c => Assert.True(c.SessionWorker && !c.TorchThread, $"{c.Call}: torch thread {c.TorchThread}, session worker {c.SessionWorker}"));
    }

    [Fact]
    public void A_failure_on_the_torch_thread_fails_only_its_micro_batch_and_the_pipeline_goes_on()
    {
        using var inner = new TorchInferenceSession(SavedTinyModels.AdaTape);
        var reads = 0;
        var session = new WhereCalled(inner, () => Interlocked.Increment(ref reads) == 2 ? throw new InvalidOperationException("injected READ failure") : null);
        var predictions = Predict(session, requests: 12, batch: 4);

        Assert.Equal(12, predictions.Count);
        var failed = predictions.Where(p => p.IsError).ToList();
        Assert.Equal(4, failed.Count);                                                          // the second micro-batch only
        Assert.All(failed, p => Assert.Contains("injected READ failure", p.Error));
        Assert.All(session.Calls, c => Assert.True(c.TorchThread, $"{c.Call} ran off the torch thread"));
    }
}
