using AdaTapeDml.Pipelines.Inference;

namespace AdaTapeDml.Properties.Pipelines;

/// <summary>Faults inside inference, injected through a decorating session: each request gets exactly one answer (its
/// result, or an error naming the cause), the pipeline serves the next batch, nothing stays in flight, and every session
/// the pipeline made is released exactly once.</summary>
public sealed class AdaTapeInference_Faults
{
    private static void AssertSettled(FaultHarness h, int sent)
    {
        Assert.Equal(0, h.Inference.InFlight);
        Assert.Equal(sent, h.Emitted.Count);
        Assert.All(h.Emitted.Values, n => Assert.Equal(1, n));                   // exactly one answer each
        h.Dispose();
        Assert.All(h.Sessions, s => Assert.Equal(1, s.Released));                // native memory released, once
    }

    [Fact]
    public void A_session_that_throws_on_one_micro_batch_fails_that_batch_only()
    {
        var h = new FaultHarness((x, _) => x.Session(Stage.Read, call: 1, Fault.Throw));
        Assert.All(h.Answer(1, 2, 3, 4), p => Assert.Equal("backend fake failed in READ: injected fault in Read", p.Error));
        var next = h.Answer(5, 6, 7, 8);
        for (var i = 0; i < 4; i++) FaultHarness.AssertCorrect(next[i], 5 + i);
        Assert.Single(h.Sessions);                                               // a throwing call does not cost the session
        AssertSettled(h, 8);
    }

    [Fact]
    public void Non_finite_logits_fail_their_own_sample_and_not_its_group()
    {
        var h = new FaultHarness((x, _) => x.Session(Stage.Encode, call: 1, Fault.NaNLogits));
        float[] values = [1, 6, 11, 16];                                         // one tape length: one ENCODE call of 4
        var answers = h.Answer(values);
        var failed = Assert.Single(answers, p => p.IsError);
        Assert.Equal("backend returned non-finite logits", failed.Error);
        foreach (var (p, v) in answers.Zip(values).Where(a => !a.First.IsError)) FaultHarness.AssertCorrect(p, v);
        AssertSettled(h, 4);
    }

    [Fact]
    public void Grouped_a_read_that_succeeds_then_an_encode_that_fails_fails_only_that_length_group()
    {
        var h = new FaultHarness((x, _) => x.Session(Stage.Encode, call: 1, Fault.Throw), execution: ElasticExecution.Grouped);
        float[] values = [1, 2, 6, 7];                                           // tape lengths 1 2 1 2: two ENCODE groups
        var answers = h.Answer(values);
        var failed = answers.Where(p => p.IsError).ToList();
        Assert.Equal(2, failed.Count);
        Assert.All(failed, p => Assert.Equal("backend fake failed in ENCODE: injected fault in Encode", p.Error));
        Assert.Single(failed.Select(p => FakeElasticSession.LengthOf(float.Parse(p.Id[1..]))).Distinct());   // one group
        foreach (var (p, v) in answers.Zip(values).Where(a => !a.First.IsError)) FaultHarness.AssertCorrect(p, v);
        Assert.Equal([4], FaultHarness.Fake(h.Sessions.Single()).ReadSizes);     // READ ran once, for all four
        foreach (var (p, v) in h.Answer(3, 8, 13, 18).Zip([3f, 8, 13, 18])) FaultHarness.AssertCorrect(p, v);
        AssertSettled(h, 8);
    }

    [Fact]
    public void A_failed_whole_batch_encode_fails_that_batch_and_the_next_batch_is_served()
    {
        var h = new FaultHarness((x, _) => x.Session(Stage.Encode, call: 1, Fault.Throw));
        var answers = h.Answer(1, 2, 6, 7);                                       // mixed lengths, one ENCODE call
        Assert.All(answers, p => Assert.Equal("backend fake failed in ENCODE: injected fault in Encode", p.Error));
        Assert.Equal([4], FaultHarness.Fake(h.Sessions.Single()).ReadSizes);
        foreach (var (p, v) in h.Answer(3, 8, 13, 18).Zip([3f, 8, 13, 18])) FaultHarness.AssertCorrect(p, v);
        AssertSettled(h, 8);
    }

    [Fact]
    public void A_session_disposed_under_an_in_flight_call_is_replaced_and_released_once()
    {
        var h = new FaultHarness((x, n) => x.Session(Stage.Read, call: n == 0 ? 1 : 0, Fault.DisposeUnderneath));
        Assert.All(h.Answer(1, 2, 3, 4), p => Assert.Contains("session was disposed during the call", p.Error));
        var first = h.Sessions.Single();
        Assert.Equal(1, first.Released);
        Assert.Equal(2, first.DisposeCalls);                                     // by the fault, then by the pipeline: released once
        foreach (var (p, v) in h.Answer(5, 6, 7, 8).Zip([5f, 6, 7, 8])) FaultHarness.AssertCorrect(p, v);
        Assert.Equal(2, h.Sessions.Count);
        AssertSettled(h, 8);
    }

    [Fact]
    public void A_replacement_session_that_cannot_be_created_fails_its_batch_and_the_next_attempt_serves()
    {
        var h = new FaultHarness((x, n) => n switch
        {
            0 => x.Session(Stage.Read, call: 1, Fault.DisposeUnderneath),
            1 => throw new FileNotFoundException("weights went missing"),
            _ => x.Session(),
        });
        Assert.All(h.Answer(1, 2, 3, 4), p => Assert.Contains("session was disposed during the call", p.Error));
        Assert.All(h.Answer(5, 6, 7, 8), p => Assert.Equal("backend session could not be created: weights went missing", p.Error));
        foreach (var (p, v) in h.Answer(9, 10, 11, 12).Zip([9f, 10, 11, 12])) FaultHarness.AssertCorrect(p, v);
        Assert.Equal(2, h.Sessions.Count);
        AssertSettled(h, 12);
    }

    [Fact]
    public void A_session_whose_disposal_throws_is_reported_and_crashes_nothing()
    {
        var h = new FaultHarness((x, n) => x.Session(Stage.Read, call: n == 0 ? 1 : 0, Fault.DisposeUnderneath,
            disposeFailure: new InvalidOperationException("driver refused")));
        Assert.All(h.Answer(1, 2, 3, 4), p => Assert.Contains("session was disposed during the call", p.Error));
        foreach (var (p, v) in h.Answer(5, 6, 7, 8).Zip([5f, 6, 7, 8])) FaultHarness.AssertCorrect(p, v);
        var incidents = h.Incidents.ToList();
        AssertSettled(h, 8);                                                     // disposes the second session, which throws too
        Assert.Contains(incidents, i => i == "disposing backend fake session failed: InvalidOperationException: driver refused");
        Assert.Equal(2, h.Incidents.Count(i => i.Contains("driver refused")));
    }

    [Fact]
    public void A_backend_that_cannot_start_is_refused_by_Create_with_its_own_error()
    {
        var error = Assert.Throws<FileNotFoundException>(() =>
            AdaTapeInference.Create(() => throw new FileNotFoundException("no weights at model.safetensors"), new ElasticOptions()));
        Assert.Equal("no weights at model.safetensors", error.Message);
    }
}
