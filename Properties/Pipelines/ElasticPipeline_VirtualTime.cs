using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using AdaTapeDml.Pipelines.Inference;

namespace AdaTapeDml.Properties.Pipelines;

/// <summary>Batching by count and by time, grouping by length, ordering, errors per request, cancellation and disposal,
/// with the batching clock in virtual time (Rx's HistoricalScheduler). Sessions run on their own threads, so the tests wait
/// for the predictions they expect (signalled, with a safety timeout that only turns a hang into a failure) and hold
/// batches back on gates they open; what must NOT have happened yet is asserted on the batching stage alone
/// (<see cref="MicroBatching_VirtualTime"/>), where no thread is involved.</summary>
public sealed class ElasticPipeline_VirtualTime
{
    private static readonly TimeSpan Wait = TimeSpan.FromMinutes(2);

    private sealed class Harness : IDisposable
    {
        public readonly HistoricalScheduler Clock = new();
        public readonly Subject<InferenceRequest> Requests = new();
        public readonly FakeElasticSession Session;
        public readonly List<Prediction> Predictions = [];
        private readonly IDisposable subscription;
        private readonly object gate = new();

        public Harness(ElasticOptions options, FakeElasticSession? session = null)
        {
            Session = session ?? new FakeElasticSession();
            subscription = ElasticPipeline.Create(Requests, () => Session, options, Clock)
                .Subscribe(p => { lock (gate) { Predictions.Add(p); Monitor.PulseAll(gate); } });
        }

        public void Send(params float[] values)
        {
            foreach (var v in values) Requests.OnNext(new InferenceRequest($"r{v}", FakeElasticSession.Input(v)));
        }

        public List<Prediction> WaitFor(int count)
        {
            lock (gate)
            {
                while (Predictions.Count < count)
                    if (!Monitor.Wait(gate, Wait)) throw new TimeoutException($"{Predictions.Count} of {count} predictions");
                return [.. Predictions];
            }
        }

        public void Dispose() => subscription.Dispose();
    }

    [Fact]
    public void A_full_batch_goes_at_once_and_the_rest_waits_for_the_timer()
    {
        using var h = new Harness(new ElasticOptions(MaxBatchSize: 2, MaxBatchDelay: TimeSpan.FromSeconds(1), MaxInFlight: 8));
        h.Send(1, 2, 3, 4, 5);
        h.WaitFor(4);
        Assert.Equal([2, 2], h.Session.ReadSizes);
        h.Clock.AdvanceBy(TimeSpan.FromSeconds(1));           // the fifth goes when its window closes
        h.WaitFor(5);
        Assert.Equal([2, 2, 1], h.Session.ReadSizes);
    }

    [Fact]
    public void A_lone_request_is_sent_when_its_time_window_closes_and_empty_windows_do_nothing()
    {
        using var h = new Harness(new ElasticOptions(MaxBatchSize: 64, MaxBatchDelay: TimeSpan.FromMilliseconds(5)));
        h.Clock.AdvanceBy(TimeSpan.FromMilliseconds(50));        // ten empty windows
        Assert.Empty(h.Session.ReadSizes);
        h.Send(7);
        h.Clock.AdvanceBy(TimeSpan.FromMilliseconds(5));
        Assert.Equal("r7", Assert.Single(h.WaitFor(1)).Id);
        Assert.Equal([1], h.Session.ReadSizes);
    }

    [Fact]
    public void Grouped_execution_encodes_each_tape_length_at_its_own_length()
    {
        using var h = new Harness(new ElasticOptions(MaxBatchSize: 6, MaxInFlight: 6, Execution: ElasticExecution.Grouped));
        h.Send(1, 2, 3, 6, 7, 11);                                // lengths 1 2 3 1 2 1
        var predictions = h.WaitFor(6);
        var encodes = h.Session.Encodes.OrderBy(e => e.Slots).ToList();
        Assert.Equal([1, 2, 3], encodes.Select(e => e.Slots));
        Assert.Equal([3, 2, 1], encodes.Select(e => e.Count));
        Assert.All(encodes, e => Assert.All(e.Lengths, l => Assert.Equal(e.Slots, l)));
        Assert.All(predictions, p => Assert.Equal(FakeElasticSession.LengthOf(float.Parse(p.Id[1..])), p.TapeLength));
    }

    [Theory]
    [InlineData(ElasticExecution.Auto)]
    [InlineData(ElasticExecution.Packed)]
    [InlineData(ElasticExecution.Padded)]
    public void One_encode_call_serves_a_whole_micro_batch_of_mixed_lengths(ElasticExecution execution)
    {
        using var h = new Harness(new ElasticOptions(MaxBatchSize: 6, MaxInFlight: 6, Execution: execution));
        h.Send(1, 2, 3, 6, 7, 11);                                // lengths 1 2 3 1 2 1
        var predictions = h.WaitFor(6);
        Assert.Empty(h.Session.Encodes);
        var (mode, lengths) = Assert.Single(h.Session.BatchEncodes);
        Assert.Equal([1, 2, 3, 1, 2, 1], lengths);                // every sample at its own length, in one call
        if (execution != ElasticExecution.Auto) Assert.Equal(execution == ElasticExecution.Packed ? AdaTapeDml.Core.Contracts.EncodeMode.Packed : AdaTapeDml.Core.Contracts.EncodeMode.Padded, mode);
        Assert.All(predictions, p => Assert.Equal(FakeElasticSession.LengthOf(float.Parse(p.Id[1..])), p.TapeLength));
    }

    [Fact]
    public void Buckets_group_neighbouring_lengths_and_mask_the_shorter_tapes()
    {
        using var h = new Harness(new ElasticOptions(MaxBatchSize: 4, MaxInFlight: 4, Grouping: new LengthGrouping(2), Execution: ElasticExecution.Grouped));
        h.Send(1, 2, 3, 4);                                       // lengths 1 2 3 4: buckets {1}, {2,3}, {4}
        h.WaitFor(4);
        var encodes = h.Session.Encodes.OrderBy(e => e.Slots).ToList();
        Assert.Equal([1, 3, 4], encodes.Select(e => e.Slots));
        Assert.Equal([2, 3], encodes[1].Lengths.Order());
    }

    /// <summary>The first request's READ is held until every later one has been read on the other session, so the later
    /// batches certainly finish first; the output still follows arrival.</summary>
    [Fact]
    public void Ordered_output_follows_arrival_even_when_a_later_batch_finishes_first()
    {
        const int count = 12;
        using var othersRead = new CountdownEvent(count - 1);
        var held = new FakeElasticSession(beforeRead: values =>
        {
            if (values[0] == 1) othersRead.Wait(Wait);
            else othersRead.Signal();
        });
        using var h = new Harness(new ElasticOptions(MaxBatchSize: 1, Sessions: 2, Ordered: true, MaxInFlight: 16), held);
        h.Send(Enumerable.Range(1, count).Select(i => (float)i).ToArray());
        Assert.Equal(Enumerable.Range(1, count).Select(i => $"r{i}"), h.WaitFor(count).Select(p => p.Id));
        Assert.True(othersRead.IsSet, "the first batch was not held back");
        Assert.Equal(2, held.Threads.Distinct().Count());         // two sessions, two threads
    }

    [Fact]
    public void A_bad_request_gets_its_own_error_and_the_stream_goes_on()
    {
        using var h = new Harness(new ElasticOptions(MaxBatchSize: 3, MaxInFlight: 3));
        h.Requests.OnNext(new InferenceRequest("short", [1f, 2f]));
        h.Requests.OnNext(new InferenceRequest("nan", [float.NaN, .. new float[FakeElasticSession.InputWidth - 1]]));
        h.Send(5);
        var predictions = h.WaitFor(3).ToDictionary(p => p.Id);
        Assert.Contains("need 48", predictions["short"].Error);
        Assert.Contains("finite", predictions["nan"].Error);
        Assert.False(predictions["r5"].IsError);
        Assert.Equal(0, predictions["r5"].Class);
        Assert.Equal([1], h.Session.ReadSizes);                   // only the valid request reached the backend
    }

    [Fact]
    public void Disposing_the_subscription_stops_the_work_and_disposes_the_sessions()
    {
        var session = new FakeElasticSession();
        var h = new Harness(new ElasticOptions(MaxBatchSize: 1, Sessions: 1), session);
        h.Send(1);
        h.WaitFor(1);
        h.Dispose();
        Assert.Equal(1, session.Disposed);
        Assert.False(h.Requests.HasObservers);                    // nothing listens any more: a later request reaches no session
        h.Send(2);
        Assert.Single(h.Predictions);
        Assert.Equal([1], session.ReadSizes);
    }

    [Fact]
    public void A_model_without_read_and_encode_runs_padded_in_one_call()
    {
        using var h = new Harness(new ElasticOptions(MaxBatchSize: 2, MaxInFlight: 2), new FakeElasticSession(elastic: false));
        h.Send(-3, 4);
        var predictions = h.WaitFor(2).ToDictionary(p => p.Id);
        Assert.Equal(1, predictions["r-3"].Class);
        Assert.Equal(0, predictions["r4"].Class);
        Assert.Empty(h.Session.Encodes);
    }

    /// <summary>Regression: a cold source that completes before its last batch finishes makes the pipeline complete on
    /// the session's own thread, which then disposes the pool; the worker used to queue its own disposal behind itself
    /// and wait for it forever (found by `adatape bench elastic`, which hung).</summary>
    [Fact]
    public async Task A_finite_source_completes_the_stream_and_disposes_the_session_on_its_own_thread()
    {
        using var sourceDone = new ManualResetEventSlim();
        var session = new FakeElasticSession(beforeRead: _ => sourceDone.Wait(Wait));   // every READ waits for the source to end
        var requests = Enumerable.Range(1, 10).Select(v => new InferenceRequest($"r{v}", FakeElasticSession.Input(v))).ToArray();
        var source = requests.ToObservable().Finally(sourceDone.Set);
        var run = Task.Run(() => ElasticPipeline.Create(source, () => session, new ElasticOptions(MaxBatchSize: 4, Ordered: true))
            .ToEnumerable().ToArray());
        var predictions = await run.WaitAsync(Wait);                                 // TimeoutException if it hangs
        Assert.Equal(requests.Select(r => r.Id), predictions.Select(p => p.Id));
        Assert.Equal(1, session.Disposed);
    }
}
