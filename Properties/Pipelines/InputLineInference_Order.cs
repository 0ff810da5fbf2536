using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Pipelines.Inference;

namespace AdaTapeDml.Properties.Pipelines;

/// <summary>Answering an input file in file order: unreadable lines get their errors in their places, readable ones their
/// predictions, and no session is made for a file without one readable line.</summary>
public sealed class InputLineInference_Order
{
    private static InputLine Good(int number, float value) => InputLine.Read(number, new InferenceRequest($"r{value}", FakeElasticSession.Input(value)));

    [Fact]
    public void Errors_and_predictions_come_in_line_order()
    {
        InputLine[] lines = [InputLine.Bad(1, null, "bad one"), Good(2, 3), Good(3, -4), InputLine.Bad(4, "x", "bad two"), Good(5, 6)];
        var answers = InputLineInference.Answer(lines, () => new FakeElasticSession(), new ElasticOptions(MaxBatchSize: 2, MaxInFlight: 2)).ToList();
        Assert.Equal(["line 1", "r3", "r-4", "x", "r6"], answers.Select(p => p.Id));
        Assert.Equal(["line 1: bad one", null, null, "line 4: bad two", null], answers.Select(p => p.Error));
        Assert.Equal([0, 1, 0], answers.Where(p => !p.IsError).Select(p => p.Class));
    }

    [Fact]
    public void A_file_of_only_bad_lines_makes_no_session()
    {
        var made = 0;
        IInferenceSession Create() { made++; return new FakeElasticSession(); }
        var answers = InputLineInference.Answer([InputLine.Bad(1, null, "bad")], Create, new ElasticOptions()).ToList();
        Assert.Equal("line 1: bad", Assert.Single(answers).Error);
        Assert.Equal(0, made);
    }
}
