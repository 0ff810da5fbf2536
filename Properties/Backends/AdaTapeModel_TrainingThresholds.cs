using AdaTapeDml.Backends.TorchSharp.Models;
using AdaTapeDml.Core.Atr;
using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Serialization;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Properties.Halting;
using AdaTapeDml.Properties.Pipelines;
using static TorchSharp.torch;

namespace AdaTapeDml.Properties.Backends;

/// <summary>tape.trainActEpsilonMax: in training each batch halts at its own threshold from [actEpsilon, max] with k held
/// at the trained value, so training sees longer tapes than evaluation; evaluation reads at actEpsilon; the draws come from
/// torch's seeded generator (a reseeded run repeats them); the field survives JSON and is absent when unset.</summary>
public sealed class AdaTapeModel_TrainingThresholds
{
    private const int Samples = 24, Draws = 30;

    private static RunSpec Spec(double? most) => SavedTinyModels.AdaTapeSpec with
    {
        Model = (AdaTapeModelSpec)SavedTinyModels.AdaTapeSpec.Model with
        {
            Tape = ((AdaTapeModelSpec)SavedTinyModels.AdaTapeSpec.Model).Tape with { TrainActEpsilonMax = most, PinnedCandidates = 1 },
            Bank = new LearnableBankSpec(Size: 64),
        },
    };

    /// <summary>Each training forward's tape lengths, then one evaluation forward's, from a model built at seed 3. With k = 1
    /// each step adds exactly 1 to the halting sum, so a batch halting at threshold t reads ceil(t) tokens.</summary>
    private static (long[][] Training, long[] Evaluation) Lengths(RunSpec spec)
    {
        using var scope = NewDisposeScope();
        random.manual_seed(3);
        using var model = ModelFactory.Create(spec.Model, spec.Task);
        var inputs = tensor(ReadTrace_EqualsOracle.ParityInputsOf(Samples, ((ParityTaskSpec)spec.Task).SeqLen, seed: 4),
            [Samples, ((ParityTaskSpec)spec.Task).SeqLen, 3]);
        using var _ = no_grad();
        model.train();
        var training = Enumerable.Range(0, Draws).Select(_ => model.forward(inputs).TapeLengths!.data<long>().ToArray()).ToArray();
        model.eval();
        return (training, model.forward(inputs).TapeLengths!.data<long>().ToArray());
    }

    [Fact]
    public void Training_reads_at_thresholds_up_to_the_maximum_and_evaluation_at_act_epsilon()
    {
        var tape = ((AdaTapeModelSpec)Spec(6).Model).Tape;                                        // T 6, tau 1.5, k 1
        var (training, evaluation) = Lengths(Spec(6));
        var (fixedTraining, fixedEvaluation) = Lengths(Spec(null));

        Assert.Equal(fixedEvaluation, evaluation);                                                // evaluation: actEpsilon, as without the range
        Assert.All(fixedTraining, draw => Assert.Equal(fixedEvaluation, draw));                   // one threshold: every batch alike
        Assert.All(evaluation, l => Assert.Equal(2, l));                                          // ceil(1.5)
        Assert.All(training, draw => Assert.All(draw, l => Assert.Equal(draw[0], l)));           // one threshold per batch
        Assert.All(training.SelectMany(l => l), l => Assert.InRange(l, 2, tape.NumTapeTokens));
        Assert.True(training.Select(l => l.Sum()).Distinct().Count() >= 3,
            "training batches should read at several thresholds: " + string.Join(" ", training.Select(l => l.Sum())));
        Assert.True(training.Max(l => l.Sum()) > evaluation.Sum(),
            $"training should read longer tapes than evaluation ({evaluation.Sum()} tokens): " + string.Join(" ", training.Select(l => l.Sum())));
        Assert.Equal(training, Lengths(Spec(6)).Training);                                       // reseeded: the same draws
    }

    [Fact]
    public void A_drawn_threshold_keeps_k_at_the_trained_value()
    {
        var config = AtrConfig.From(((AdaTapeModelSpec)SavedTinyModels.AdaTapeSpec.Model).Tape with { TrainActEpsilonMax = 6 }, 16);
        var drawn = config.HaltingAt(5.5);
        Assert.Equal((4, 4, 5.5), (config.Candidates, drawn.Candidates, drawn.ActEpsilon));
    }

    [Fact]
    public void The_compute_knob_reads_beyond_the_trained_range()
    {
        var spec = Spec(3);                                                                       // T 6, tau 1.5, trained on 1.5..3
        var knob = new TapeOverride(ActEpsilon: 5, HoldCandidates: true).ApplyTo(spec);
        Assert.True(knob.IsOk, string.Join("; ", knob.Errors.Select(e => e.ToString())));
        var tape = ((AdaTapeModelSpec)knob.Value!.Model).Tape;
        Assert.Equal((5.0, (double?)null), (tape.ActEpsilon, tape.TrainActEpsilonMax));
    }

    [Fact]
    public void The_range_round_trips_through_json_and_an_unset_one_is_absent()
    {
        Assert.DoesNotContain("trainActEpsilonMax", RunSpecJson.Serialize(Spec(null)));
        var parsed = RunSpecJson.Parse(RunSpecJson.Serialize(Spec(4.25)));
        Assert.True(parsed.IsOk);
        Assert.Equal(4.25, ((AdaTapeModelSpec)parsed.Value!.Model).Tape.TrainActEpsilonMax);
    }
}
