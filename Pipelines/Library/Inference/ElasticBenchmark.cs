using System.Diagnostics;
using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Cost;
using AdaTapeDml.Core.Specs;

namespace AdaTapeDml.Pipelines.Inference;

/// <summary>Padded against elastic execution of the same samples on the same session, measured side by side in one
/// process (alternating rounds, best round each), next to what the cost model expects. Elastic runs in each execution
/// mode: auto (the pipeline's per-micro-batch choice, calibrated and run for <see cref="WarmChoices"/> micro-batches
/// before timing), packed, padded-per-batch and grouped.
/// Padded runs through the same pipeline (its session thread, its batching), so both pay the same threading and
/// scheduling. (A TorchSharp session does its native work on the process's one torch thread, whichever thread calls it;
/// before that, a benchmark that ran padded on its own thread gave libtorch a second OpenMP pool and slowed elastic
/// execution down: the image model at batch 64, 0.7x against 1.4x.)</summary>
public static class ElasticBenchmark
{
    /// <param name="Execution">The elastic execution mode.</param>
    /// <param name="PerSecond">Samples/s through the elastic pipeline.</param>
    /// <param name="Profile">Where the best round's wall time went: READ calls, ENCODE calls, the rest (batching, scheduling).</param>
    /// <param name="Chosen">Micro-batches the planner ran packed and padded in the best round (auto; fixed modes: all one).</param>
    /// <param name="MaxAbsLogitDifference">Largest |padded - elastic| logit difference (exactness check).</param>
    /// <param name="EncodeRates">ENCODE FLOPs/s of the packed and the padded calls in the best round (null: no such call).</param>
    /// <param name="PlannerRates">Auto: the FLOPs/s the planner expected of each mode after the last round; else nulls.</param>
    /// <param name="WarmUp">Micro-batches the mode ran before the timed rounds.</param>
    public sealed record ModeResult(ElasticExecution Execution, double PerSecond, (TimeSpan Read, TimeSpan Encode, TimeSpan Other) Profile,
        (long Packed, long Padded) Chosen, double MaxAbsLogitDifference, (double? Packed, double? Padded) EncodeRates = default,
        (double? Packed, double? Padded) PlannerRates = default, long WarmUp = 0)
    {
        /// <summary>Share of the session time (READ + ENCODE) spent in READ.</summary>
        public double ReadShare => Profile.Read / (Profile.Read + Profile.Encode);
    }

    /// <param name="PaddedPerSecond">Samples/s of padded execution (`Run`: all T slots, masked) through the pipeline.</param>
    /// <param name="Modes">Each elastic execution mode, measured in the same rounds.</param>
    /// <param name="ExpectedSpeedup">Mean padded FLOPs / mean elastic FLOPs (Core cost model at each sample's length).</param>
    /// <param name="MeanTape">Mean tape length of the samples.</param>
    /// <param name="ReadFlopsShare">The cost model's share of READ in the elastic FLOPs.</param>
    public sealed record Result(double PaddedPerSecond, IReadOnlyList<ModeResult> Modes, double ExpectedSpeedup, double MeanTape, double ReadFlopsShare)
    {
        public ModeResult Mode(ElasticExecution execution) => Modes.First(m => m.Execution == execution);
    }

    public static Result Measure(TimedSession session, IReadOnlyList<InferenceRequest> requests, ElasticOptions options, int rounds,
        IReadOnlyList<ElasticExecution> executions)
    {
        if (!session.IsElastic) throw new ArgumentException($"{session.Spec.Model.GetType().Name} has no tape: nothing elastic to measure");
        var spec = (AdaTapeModelSpec)session.Spec.Model;
        var padded = Elastic(new PaddedView(session), requests, options);                        // warm-up and reference
        var planners = executions.ToDictionary(e => e, e => new EncodePlanner(e, options.LengthGroups));
        var outputs = new Dictionary<ElasticExecution, Prediction[]>();
        foreach (var (execution, planner) in planners)
            do outputs[execution] = Elastic(session, requests, options with { Execution = execution }, planner);   // warm-up, calibration
            while (!planner.IsCalibrated || execution == ElasticExecution.Auto && Choices(planner) < WarmChoices);
        var warmUp = planners.ToDictionary(p => p.Key, p => Choices(p.Value));
        var bestPadded = TimeSpan.MaxValue;
        var best = executions.ToDictionary(e => e, _ => (Time: TimeSpan.MaxValue, Profile: default((TimeSpan, TimeSpan, TimeSpan)), Chosen: default((long, long)),
            Rates: default((double?, double?))));
        for (var round = 0; round < rounds; round++)
        {
            var clock = Stopwatch.StartNew();
            Elastic(new PaddedView(session), requests, options);
            bestPadded = Min(bestPadded, clock.Elapsed);
            foreach (var (execution, planner) in planners)
            {
                session.Reset();
                var before = planner.Chosen;
                clock.Restart();
                Elastic(session, requests, options with { Execution = execution }, planner);
                var elapsed = clock.Elapsed;
                var after = planner.Chosen;
                if (elapsed < best[execution].Time)
                    best[execution] = (elapsed, (session.ReadTime, session.EncodeTime, elapsed - session.ReadTime - session.EncodeTime),
                        (after.Packed - before.Packed, after.Padded - before.Padded),
                        (session.EncodeFlopsPerSecond(EncodeMode.Packed), session.EncodeFlopsPerSecond(EncodeMode.Padded)));
            }
        }
        var lengths = padded.Select(p => p.TapeLength).ToArray();
        var paddedFlops = CostModel.Forward(session.Spec.Model, session.Spec.Task, spec.Tape.NumTapeTokens).Total;
        var elasticFlops = lengths.Average(l => (double)CostModel.Forward(session.Spec.Model, session.Spec.Task, l).Total);
        var encodeFlops = lengths.Average(l => (double)CostModel.EncodeFlops(spec, session.Spec.Task, l));
        var modes = executions.Select(e => new ModeResult(e, requests.Count / best[e].Time.TotalSeconds, best[e].Profile, best[e].Chosen,
            MaxDifference(padded, outputs[e]), best[e].Rates,
            (planners[e].ExpectedFlopsPerSecond(EncodeMode.Packed), planners[e].ExpectedFlopsPerSecond(EncodeMode.Padded)), warmUp[e])).ToList();
        return new Result(requests.Count / bestPadded.TotalSeconds, modes, paddedFlops / elasticFlops, lengths.Average(), 1 - encodeFlops / elasticFlops);
    }

    private static double MaxDifference(Prediction[] padded, Prediction[] elastic) =>
        padded.Zip(elastic).Max(p => p.First.Logits.Zip(p.Second.Logits).Max(z => Math.Abs(z.First - z.Second)));

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
    public static Prediction[] Elastic(IInferenceSession session, IReadOnlyList<InferenceRequest> requests, ElasticOptions options,
        EncodePlanner? planner = null)
    {
        var shared = new BorrowedSession(session);
        return System.Reactive.Linq.Observable.ToEnumerable(
            ElasticPipeline.Create(System.Reactive.Linq.Observable.ToObservable(requests), () => shared, options with { Ordered = true, Sessions = 1 },
                planner: planner)).ToArray();
    }

    /// <summary>Micro-batches auto runs before its timed rounds: enough for its fit to forget calibration calls made while
    /// the process was still warming up (<see cref="EncodePlanner.MaxAge"/>) and to explore each mode a few times, so
    /// the rounds time the choice a long-running pipeline makes. Without it, at batch 1024 (8 micro-batches a pass) a
    /// bench timed auto on its calibration: the planner expected TorchSharp's padded ENCODE at 72 GFLOP/s where fixed
    /// padded execution ran at 126, and auto reached 0.84x of padded per batch.</summary>
    public const int WarmChoices = 2 * EncodePlanner.MaxAge;

    private static long Choices(EncodePlanner planner) => planner.Chosen.Packed + planner.Chosen.Padded;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
