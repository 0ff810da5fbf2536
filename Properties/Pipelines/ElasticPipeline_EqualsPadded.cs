using System.Reactive.Linq;
using AdaTapeDml.Backends.Onnx.Runtime;
using AdaTapeDml.Backends.TorchSharp.Inference;
using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Core.Tasks;
using AdaTapeDml.Pipelines.Inference;
using FsCheck;
using FsCheck.Fluent;

namespace AdaTapeDml.Properties.Pipelines;

/// <summary>Elastic inference is exact: for every request, the pipeline (READ, regroup by tape length, ENCODE each group
/// at its own length) gives the logits and tape length of padded execution (all T slots, masked), whatever the batch
/// size, length grouping, number of sessions and arrival order. Checked on each real backend through the session contract.</summary>
public sealed class ElasticPipeline_EqualsPadded(ITestOutputHelper output)
{
    /// <summary>Backends under test: a name, a session factory over a weight file, and the logit tolerance.</summary>
    public static readonly (string Name, Func<string, IInferenceSession> Open, float Tolerance)[] Backends =
    [
        ("torch", path => new TorchInferenceSession(path), 1e-5f),
        ("onnx", path => new OnnxInferenceSession(path), 1e-4f),
    ];

    /// <summary>A scenario: parity sequences (duplicates and all-equal rows included), how they arrive and how the
    /// pipeline is set up.</summary>
    public sealed record Scenario(sbyte[][] Sequences, int[] ArrivalOrder, int BatchSize, int GroupWidth, int Sessions)
    {
        public override string ToString() =>
            $"{Sequences.Length} requests, batch {BatchSize}, group width {GroupWidth}, {Sessions} session(s), order [{string.Join(",", ArrivalOrder)}]";
    }

    public static Arbitrary<Scenario> Scenarios()
    {
        var seqLen = ((ParityTaskSpec)SavedTinyModels.AdaTapeSpec.Task).SeqLen;
        var element = Gen.Elements<sbyte>(-1, 0, 1);
        var sequence = Gen.OneOf(
            Gen.ArrayOf(element, seqLen),
            element.Select(x => Enumerable.Repeat(x, seqLen).ToArray()));                      // constant rows: exact score ties
        var gen =
            from distinct in Gen.NonEmptyListOf(sequence).Select(l => l.Take(24).ToArray())
            from repeats in Gen.ArrayOf(Gen.Choose(0, distinct.Length - 1), distinct.Length / 2)  // duplicate rows
            let sequences = distinct.Concat(repeats.Select(i => distinct[i])).ToArray()
            from order in Gen.Shuffle(Enumerable.Range(0, sequences.Length).ToArray())
            from batch in Gen.Elements(1, 2, 3, 5, 8, 16, 64)
            from width in Gen.Choose(1, 3)
            from sessions in Gen.Choose(1, 2)
            select new Scenario(sequences, order.ToArray(), batch, width, sessions);
        return Arb.From(gen);
    }

    [Fact]
    public void Every_prediction_equals_padded_execution() =>
        PropertyCheck.ForAll(Scenarios(), EqualsPadded, output);

    private static void EqualsPadded(Scenario scenario)
    {
        foreach (var (name, open, tolerance) in Backends)
        {
            using var session = open(SavedTinyModels.AdaTape);
            var seqLen = ((ParityTaskSpec)session.Spec.Task).SeqLen;
            var inputs = scenario.Sequences.Select(s => AdaTapeDml.Core.Tasks.Parity.OneHot([s], seqLen)).ToArray();
            var (logits, lengths) = session.Run(inputs.SelectMany(x => x).ToArray(), inputs.Length);    // padded, one batch
            var classes = session.Spec.Task.NumClasses;

            var requests = scenario.ArrivalOrder.Select(i => new InferenceRequest($"r{i}", inputs[i])).ToArray();
            var options = new ElasticOptions(MaxBatchSize: scenario.BatchSize, Grouping: new LengthGrouping(scenario.GroupWidth),
                Sessions: scenario.Sessions, MaxInFlight: 1024);
            var predictions = ElasticPipeline.Create(requests.ToObservable(), () => open(SavedTinyModels.AdaTape), options).ToEnumerable().ToList();

            Assert.Equal(requests.Length, predictions.Count);
            Assert.Equal(requests.Select(r => r.Id).Order(), predictions.Select(p => p.Id).Order());     // none lost, none duplicated
            foreach (var p in predictions)
            {
                var i = int.Parse(p.Id[1..], System.Globalization.CultureInfo.InvariantCulture);
                Assert.False(p.IsError, p.Error);
                Assert.Equal(lengths[i], p.TapeLength);
                for (var c = 0; c < classes; c++)
                    Assert.True(Math.Abs(logits[i * classes + c] - p.Logits[c]) <= tolerance,
                        $"{name}: request {i} class {c}: padded {logits[i * classes + c]} elastic {p.Logits[c]}");
            }
        }
    }
}
