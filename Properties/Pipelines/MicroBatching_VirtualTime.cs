using System.Reactive.Concurrency;
using System.Reactive.Subjects;
using AdaTapeDml.Pipelines.Inference;

namespace AdaTapeDml.Properties.Pipelines;

/// <summary>The batching stage alone, in virtual time (Rx's HistoricalScheduler): no session threads, so what has NOT been
/// emitted yet is asserted exactly, not by waiting and hoping.</summary>
public sealed class MicroBatching_VirtualTime
{
    private sealed class Recorder : IDisposable
    {
        public readonly HistoricalScheduler Clock = new();
        public readonly Subject<int> Items = new();
        public readonly List<(TimeSpan At, int[] Batch)> Batches = [];
        private readonly DateTimeOffset start;
        private readonly IDisposable subscription;

        public Recorder(ElasticOptions options)
        {
            start = Clock.Now;
            subscription = MicroBatching.Batches(Items, options, Clock).Subscribe(b => Batches.Add((Clock.Now - start, b.ToArray())));
        }

        public void Send(params int[] items)
        {
            foreach (var item in items) Items.OnNext(item);
        }

        public void Dispose() => subscription.Dispose();
    }

    [Fact]
    public void A_full_batch_goes_at_once_and_the_rest_waits_for_its_window_to_close()
    {
        using var r = new Recorder(new ElasticOptions(MaxBatchSize: 2, MaxBatchDelay: TimeSpan.FromSeconds(1)));
        r.Send(1, 2, 3, 4, 5);
        Assert.Equal([[1, 2], [3, 4]], r.Batches.Select(b => b.Batch));
        Assert.All(r.Batches, b => Assert.Equal(TimeSpan.Zero, b.At));                 // by count: no time passed
        r.Clock.AdvanceBy(TimeSpan.FromMilliseconds(999));
        Assert.Equal(2, r.Batches.Count);                                               // the fifth waits for its window
        r.Clock.AdvanceBy(TimeSpan.FromMilliseconds(1));
        Assert.Equal([5], r.Batches[2].Batch);
        Assert.Equal(TimeSpan.FromSeconds(1), r.Batches[2].At);
    }

    [Fact]
    public void A_lone_request_goes_when_its_window_closes_and_empty_windows_emit_nothing()
    {
        using var r = new Recorder(new ElasticOptions(MaxBatchSize: 64, MaxBatchDelay: TimeSpan.FromMilliseconds(5)));
        r.Clock.AdvanceBy(TimeSpan.FromMilliseconds(50));                               // ten empty windows
        Assert.Empty(r.Batches);
        r.Send(7);
        r.Clock.AdvanceBy(TimeSpan.FromMilliseconds(4));
        Assert.Empty(r.Batches);
        r.Clock.AdvanceBy(TimeSpan.FromMilliseconds(1));
        var (at, batch) = Assert.Single(r.Batches);
        Assert.Equal([7], batch);
        Assert.Equal(TimeSpan.FromMilliseconds(55), at);
    }

    [Fact]
    public void A_window_cut_short_by_a_full_batch_starts_a_fresh_window()
    {
        using var r = new Recorder(new ElasticOptions(MaxBatchSize: 3, MaxBatchDelay: TimeSpan.FromMilliseconds(10)));
        r.Clock.AdvanceBy(TimeSpan.FromMilliseconds(4));
        r.Send(1, 2, 3, 4);                                                              // 1-3 go by count at 4 ms
        r.Clock.AdvanceBy(TimeSpan.FromMilliseconds(5));
        Assert.Single(r.Batches);
        r.Clock.AdvanceBy(TimeSpan.FromMilliseconds(5));                                // 4 ms + 10 ms: the fresh window closes
        Assert.Equal([[1, 2, 3], [4]], r.Batches.Select(b => b.Batch));
        Assert.Equal([TimeSpan.FromMilliseconds(4), TimeSpan.FromMilliseconds(14)], r.Batches.Select(b => b.At));
    }

    [Fact]
    public void Completion_flushes_the_partial_batch()
    {
        using var r = new Recorder(new ElasticOptions(MaxBatchSize: 8, MaxBatchDelay: TimeSpan.FromSeconds(1)));
        r.Send(1, 2);
        r.Items.OnCompleted();
        Assert.Equal([1, 2], Assert.Single(r.Batches).Batch);
        Assert.Equal(TimeSpan.Zero, r.Batches[0].At);
    }
}
