using AdaTapeDml.Pipelines.Inference;

namespace AdaTapeDml.Properties.Pipelines;

/// <summary>One bad input never costs its batch-mates their answers: a request with a missing, ill-shaped, non-finite or
/// (parity) not one-hot input gets its own error prediction, the others in the same micro-batch are classified, and PredictAsync does not throw.</summary>
public sealed class AdaTapeInference_BadInput
{
    [Fact]
    public async Task Bad_inputs_are_answered_with_their_own_errors_and_their_batch_mates_are_classified()
    {
        var h = new FaultHarness((x, _) => x.Session(), batchSize: 8);
        InferenceRequest[] bad =
        [
            new("missing", null!),
            new("short", [1f, 2f]),
            new("long", new float[13]),
            new("nan", [float.NaN, .. new float[FakeElasticSession.InputWidth - 1]]),
            new("infinite", [1f, float.PositiveInfinity, .. new float[FakeElasticSession.InputWidth - 2]]),
            new("not one-hot", [0.5f, .. new float[FakeElasticSession.InputWidth - 1]]),
        ];
        var answers = bad.Select(r => h.Inference.PredictAsync(r))
            .Concat([h.Inference.PredictAsync(new InferenceRequest("r3", FakeElasticSession.Input(3))),
                     h.Inference.PredictAsync(new InferenceRequest("r-4", FakeElasticSession.Input(-4)))]).ToArray();
        var predictions = (await Task.WhenAll(answers).WaitAsync(FaultHarness.Safety)).ToDictionary(p => p.Id);

        Assert.Equal("input is missing", predictions["missing"].Error);
        Assert.Equal("input has 2 values; 1 samples of shape [16, 3] need 48", predictions["short"].Error);
        Assert.Contains("input has 13 values", predictions["long"].Error);
        Assert.Equal("input value 0 (sample 0) is NaN; inputs must be finite numbers", predictions["nan"].Error);
        Assert.Contains("input value 1 (sample 0) is", predictions["infinite"].Error);
        Assert.EndsWith("inputs must be finite numbers", predictions["infinite"].Error);
        Assert.StartsWith("parity element 0 is [0.5, 0, 0]; each element must be a one-hot row", predictions["not one-hot"].Error);
        FaultHarness.AssertCorrect(predictions["r3"], 3);
        FaultHarness.AssertCorrect(predictions["r-4"], -4);
        Assert.Equal([2], FaultHarness.Fake(h.Sessions.Single()).ReadSizes);   // one batch of 8; only the 2 valid reached READ
        Assert.Equal(0, h.Inference.InFlight);
        h.Dispose();
    }

    [Fact]
    public async Task A_batch_of_only_bad_inputs_never_reaches_the_backend_and_the_next_is_served()
    {
        var h = new FaultHarness((x, _) => x.Session(), batchSize: 2);
        var bad = await Task.WhenAll(h.Inference.PredictAsync(new("a", [])), h.Inference.PredictAsync(new("b", null!))).WaitAsync(FaultHarness.Safety);
        Assert.All(bad, p => Assert.True(p.IsError));
        Assert.Empty(FaultHarness.Fake(h.Sessions.Single()).ReadSizes);
        foreach (var (p, v) in h.Answer(5, 6).Zip([5f, 6])) FaultHarness.AssertCorrect(p, v);
        h.Dispose();
    }

    [Fact]
    public async Task A_null_request_is_an_argument_error_and_costs_nothing()
    {
        var h = new FaultHarness((x, _) => x.Session(), batchSize: 1);
        await Assert.ThrowsAsync<ArgumentNullException>(() => h.Inference.PredictAsync(null!));
        Assert.Equal(0, h.Inference.InFlight);
        FaultHarness.AssertCorrect(h.Answer(1).Single(), 1);
        h.Dispose();
    }
}
