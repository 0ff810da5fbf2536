using System.Diagnostics;
using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Cost;
using AdaTapeDml.Core.Specs;

namespace AdaTapeDml.Pipelines.Inference;

/// <summary>Padded against elastic execution of the same samples on the same session, measured side by side in one
/// process (alternating rounds, best round each), next to what the cost model expects.</summary>
public static class ElasticBenchmark
{
    /// <param name="PaddedPerSecond">Samples/s of padded execution (all T slots, masked).</param>
    /// <param name="ElasticPerSecond">Samples/s of the elastic pipeline (READ, group by length, ENCODE per group).</param>
    /// <param name="ExpectedSpeedup">Mean padded FLOPs / mean elastic FLOPs (Core cost model at each sample's length).</param>
    /// <param name="MeanTape">Mean tape length of the samples.</param>
    /// <param name="MaxAbsLogitDifference">Largest |padded - elastic| logit difference (exactness check).</param>
    /// <param name="ReadFlopsShare">The cost model's share of READ in the elastic FLOPs: the floor of <paramref name="ReadShare"/>
    /// when both stages run at the same FLOP rate.</param>
    /// <param name="ElasticProfile">Where the best elastic round's wall time went: READ calls, ENCODE calls, and the rest
    /// (batching, regrouping, scheduling).</param>
    public sealed record Result(double PaddedPerSecond, double ElasticPerSecond, double ExpectedSpeedup, double MeanTape,
        double MaxAbsLogitDifference, double ReadFlopsShare, (TimeSpan Read, TimeSpan Encode, TimeSpan Other) ElasticProfile)
    {
        public double MeasuredSpeedup => ElasticPerSecond / PaddedPerSecond;

        /// <summary>Share of the elastic run's session time (READ + ENCODE) spent in READ.</summary>
        public double ReadShare => ElasticProfile.Read / (ElasticProfile.Read + ElasticProfile.Encode);
    }

    public static Result Measure(TimedSession session, IReadOnlyList<InferenceRequest> requests, ElasticOptions options, int rounds)
    {
        if (!session.IsElastic) throw new ArgumentException($"{session.Spec.Model.GetType().Name} has no tape: nothing elastic to measure");
        var spec = (AdaTapeModelSpec)session.Spec.Model;
        var padded = Padded(session, requests, options.MaxBatchSize);                             // warm-up and reference
        var elastic = Elastic(session, requests, options);
        var (bestPadded, bestElastic, profile) = (TimeSpan.MaxValue, TimeSpan.MaxValue, (Read: TimeSpan.Zero, Encode: TimeSpan.Zero, Other: TimeSpan.Zero));
        for (var round = 0; round < rounds; round++)
        {
            var clock = Stopwatch.StartNew();
            Padded(session, requests, options.MaxBatchSize);
            bestPadded = Min(bestPadded, clock.Elapsed);
            session.Reset();
            clock.Restart();
            Elastic(session, requests, options);
            var elapsed = clock.Elapsed;
            if (elapsed < bestElastic) (bestElastic, profile) = (elapsed, (session.ReadTime, session.EncodeTime, elapsed - session.ReadTime - session.EncodeTime));
        }
        var lengths = padded.Select(p => p.TapeLength).ToArray();
        var paddedFlops = CostModel.Forward(session.Spec.Model, session.Spec.Task, spec.Tape.NumTapeTokens).Total;
        var elasticFlops = lengths.Average(l => (double)CostModel.Forward(session.Spec.Model, session.Spec.Task, l).Total);
        var encodeFlops = lengths.Average(l => (double)CostModel.EncodeFlops(spec, session.Spec.Task, l));
        var difference = padded.Zip(elastic).Max(p => p.First.Logits.Zip(p.Second.Logits).Max(z => Math.Abs(z.First - z.Second)));
        return new Result(requests.Count / bestPadded.TotalSeconds, requests.Count / bestElastic.TotalSeconds,
            paddedFlops / elasticFlops, lengths.Average(), difference, 1 - encodeFlops / elasticFlops, profile);
    }

    /// <summary>Padded execution in batches of <paramref name="batchSize"/>: predictions in request order.</summary>
    public static Prediction[] Padded(IInferenceSession session, IReadOnlyList<InferenceRequest> requests, int batchSize)
    {
        var classes = session.Spec.Task.NumClasses;
        var result = new List<Prediction>(requests.Count);
        foreach (var chunk in requests.Chunk(batchSize))
        {
            var (logits, lengths) = session.Run(chunk.SelectMany(r => r.Input).ToArray(), chunk.Length);
            result.AddRange(chunk.Select((r, i) => ElasticBatch.ToPrediction(r.Id, logits, i, classes, lengths[i])));
        }
        return [.. result];
    }

    /// <summary>The elastic pipeline over a shared session: predictions in request order.</summary>
    public static Prediction[] Elastic(IInferenceSession session, IReadOnlyList<InferenceRequest> requests, ElasticOptions options)
    {
        var shared = new BorrowedSession(session);
        return System.Reactive.Linq.Observable.ToEnumerable(
            ElasticPipeline.Create(System.Reactive.Linq.Observable.ToObservable(requests), () => shared, options with { Ordered = true, Sessions = 1 })).ToArray();
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
