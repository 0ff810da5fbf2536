using System.Diagnostics;
using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Cost;

namespace AdaTapeDml.Pipelines.Experiments;

/// <summary>Measurements of a trained model through inference sessions: held-out accuracy with the per-sample cost, and
/// throughput. Each session is one backend's; the caller owns and disposes it.</summary>
public static class ModelMeasurement
{
    private const int EvalBatch = 500;

    /// <summary>Held-out accuracy, the adaptive statistic and FLOPs per sample from what each sample computed (its tape
    /// length, UT steps or token depths, as the session reports them).</summary>
    public static (double Accuracy, AdaptiveStatistic? Adaptive, FlopsDistribution Flops) Evaluate(IInferenceSession session, IDataSource data)
    {
        var classes = session.Spec.Task.NumClasses;
        var (correct, count) = (0, 0);
        var computes = new List<SampleCompute>();
        foreach (var batch in data.EvalBatches(EvalBatch))
        {
            var run = session.Run(batch.Inputs, batch.Count);
            for (var b = 0; b < batch.Count; b++)
                if (ArgMax(run.Logits.AsSpan(b * classes, classes)) == batch.Labels[b]) correct++;
            computes.Add(run.Compute);
            count += batch.Count;
        }
        var (adaptive, flops) = SampleCosts.Of(session.Spec, computes);
        return (correct / (double)Math.Max(1, count), adaptive, flops);
    }

    /// <summary>Samples per second of padded execution at <paramref name="batchSize"/>, over <paramref name="batches"/> timed
    /// calls on held-out inputs (one untimed warm-up call first).</summary>
    public static double Throughput(IInferenceSession session, IDataSource data, int batchSize, int batches)
    {
        var inputs = data.EvalBatches(batchSize).Where(b => b.Count == batchSize).Take(Math.Max(1, batches)).ToList();
        if (inputs.Count == 0) inputs = data.EvalBatches(batchSize).Take(1).ToList();
        session.Run(inputs[0].Inputs, inputs[0].Count);                                   // warm-up: first-call allocations
        var clock = Stopwatch.StartNew();
        var samples = 0;
        for (var i = 0; i < batches; i++)
        {
            var batch = inputs[i % inputs.Count];
            session.Run(batch.Inputs, batch.Count);
            samples += batch.Count;
        }
        return samples / Math.Max(1e-9, clock.Elapsed.TotalSeconds);
    }

    private static int ArgMax(ReadOnlySpan<float> row)
    {
        var best = 0;
        for (var i = 1; i < row.Length; i++) if (row[i] > row[best]) best = i;
        return best;
    }
}
