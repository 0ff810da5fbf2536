using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Layout;
using AdaTapeDml.Core.Specs;

namespace AdaTapeDml.Pipelines.Inference;

/// <summary>The synchronous work of one micro-batch on one session: validate each request, READ the valid ones, then
/// ENCODE them in one packed or padded call (as the planner chooses) or one call per group of tape lengths. Pure
/// orchestration over the contract.</summary>
public static class ElasticBatch
{
    /// <summary>Predictions for <paramref name="requests"/>, in the same order, one per request. A failure is confined to
    /// the requests it touches: an invalid input fails alone, a failed READ (or padded run) fails the batch's valid
    /// requests, a failed ENCODE fails its length group, non-finite logits fail their sample. Only
    /// <see cref="ObjectDisposedException"/> (the session is gone) escapes, so the caller can replace the session.</summary>
    public static Prediction[] Execute(IInferenceSession session, IReadOnlyList<InferenceRequest> requests, EncodePlanner planner)
    {
        var predictions = new Prediction[requests.Count];
        var valid = new List<int>();
        for (var i = 0; i < requests.Count; i++)
        {
            var problem = requests[i].Input is null ? "input is missing" : InputShapes.Problem(session.Spec.Task, requests[i].Input, 1);
            if (problem is null) valid.Add(i);
            else predictions[i] = Prediction.Failed(requests[i].Id, problem);
        }
        if (valid.Count == 0) return predictions;
        var classes = session.Spec.Task.NumClasses;
        var inputs = valid.SelectMany(i => requests[i].Input).ToArray();
        if (!session.IsElastic)
        {
            if (!Try(session, "padded run", requests, valid, predictions, out RunOutput run,
                    () => Checked(session.Run(inputs, valid.Count), valid.Count, classes))) return predictions;
            for (var j = 0; j < valid.Count; j++)
                predictions[valid[j]] = WithCompute(ToPrediction(requests[valid[j]].Id, run.Logits, j, classes, run.Lengths[j]), run.Compute, j);
            return predictions;
        }
        if (!Try(session, "READ", requests, valid, predictions, out TapeReadBatch read,
                () => Checked(session.Read(inputs, valid.Count), valid.Count))) return predictions;
        using (read)
        {
            // The reference pooling averages every slot, so only all T slots are exact: the planner's padded call gives that.
            var grouped = planner.Execution == ElasticExecution.Grouped && ModelLayout.Of(session.Spec.Model, session.Spec.Task).PacksExactly;
            if (grouped) EncodeGroups(session, requests, valid, read, planner.Grouping, predictions);
            else EncodeAll(session, requests, valid, read, planner, predictions);
        }
        return predictions;
    }

    /// <summary>One ENCODE call for the whole READ, packed or padded as the planner chooses.</summary>
    private static void EncodeAll(IInferenceSession session, IReadOnlyList<InferenceRequest> requests, List<int> valid, TapeReadBatch read,
        EncodePlanner planner, Prediction[] predictions)
    {
        var classes = session.Spec.Task.NumClasses;
        var mode = planner.Choose(session.Spec, read.Lengths);
        var flops = planner.Execution == ElasticExecution.Auto
            ? EncodePlanner.Flops((AdaTapeModelSpec)session.Spec.Model, session.Spec.Task, read.Lengths, mode) : 0;
        if (!Try(session, "ENCODE", requests, valid, predictions, out float[] logits,
                () => planner.Measure(mode, flops, () => Checked(session.EncodeBatch(read, mode), valid.Count, classes)))) return;
        for (var j = 0; j < valid.Count; j++)
            predictions[valid[j]] = WithTrace(ToPrediction(requests[valid[j]].Id, logits, j, classes, read.Lengths[j]), read.Trace?[j]);
    }

    /// <summary>One padded ENCODE call per group of tape lengths, each at its group's longest length.</summary>
    private static void EncodeGroups(IInferenceSession session, IReadOnlyList<InferenceRequest> requests, List<int> valid, TapeReadBatch read,
        LengthGrouping grouping, Prediction[] predictions)
    {
        var classes = session.Spec.Task.NumClasses;
        var (n, width) = (read.Tokens, read.Width);
        foreach (var group in Enumerable.Range(0, valid.Count).GroupBy(j => grouping.BucketOf(read.Lengths[j])))
        {
            var members = group.ToArray();
            var slots = members.Max(j => read.Lengths[j]);                           // the group's longest tape
            var hidden = new float[members.Length * n * width];                      // [G, n, D]
            var tape = new float[members.Length * slots * width];                    // [G, slots, D]
            for (var g = 0; g < members.Length; g++)
            {
                read.HiddenOf(members[g]).CopyTo(hidden.AsSpan(g * n * width));
                read.TapeOf(members[g], slots).CopyTo(tape.AsSpan(g * slots * width));
            }
            var lengths = members.Select(j => read.Lengths[j]).ToArray();
            var rows = members.Select(j => valid[j]).ToList();
            if (!Try(session, "ENCODE", requests, rows, predictions, out float[] logits,
                    () => Checked(session.Encode(hidden, tape, lengths, slots), members.Length, classes))) continue;
            for (var g = 0; g < members.Length; g++)
                predictions[rows[g]] = WithTrace(ToPrediction(requests[rows[g]].Id, logits, g, classes, lengths[g]), read.Trace?[members[g]]);
        }
    }

    /// <summary>The prediction with what sample <paramref name="row"/> computed, for the kinds that adapt depth.</summary>
    private static Prediction WithCompute(Prediction prediction, SampleCompute compute, int row) => prediction.IsError ? prediction : compute switch
    {
        HaltingStepsCompute ut => prediction with { HaltingSteps = ut.Steps[row] },
        TokenDepthCompute avit => prediction with { MeanTokenDepth = avit.Statistic(row) },
        _ => prediction,
    };

    /// <summary>The prediction with the sample's READ trace (an error keeps none).</summary>
    private static Prediction WithTrace(Prediction prediction, TapeReadStep[]? trace) =>
        trace is null || prediction.IsError ? prediction : prediction with { Trace = trace };

    /// <summary>Runs one backend call; on failure answers the requests at <paramref name="rows"/> with an error naming the stage.</summary>
    private static bool Try<T>(IInferenceSession session, string stage, IReadOnlyList<InferenceRequest> requests, IReadOnlyList<int> rows,
        Prediction[] predictions, out T result, Func<T> call)
    {
        try
        {
            result = call();
            return true;
        }
        catch (Exception e) when (e is not (OutOfMemoryException or ObjectDisposedException))
        {
            var message = $"backend {session.Backend} failed in {stage}: {e.Message.ReplaceLineEndings(" ")}";
            foreach (var row in rows) predictions[row] = Prediction.Failed(requests[row].Id, message);
            result = default!;
            return false;
        }
    }

    // Backend results of the wrong size would fail later, far from their cause (or index another sample's values).
    private static TapeReadBatch Checked(TapeReadBatch read, int count)
    {
        if (read.Lengths.Length != count || read.Lengths.Any(l => l < 0 || l > read.MaxTape))
            throw new InvalidDataException($"returned {read.Lengths.Length} tape lengths for {count} samples, each must be in 0..{read.MaxTape}");
        return read;
    }

    private static float[] Checked(float[] logits, int count, int classes) =>
        logits.Length == count * classes ? logits : throw new InvalidDataException($"returned {logits.Length} logits for {count} samples of {classes} classes");

    private static RunOutput Checked(RunOutput run, int count, int classes) =>
        run.Compute.Count == count ? run with { Logits = Checked(run.Logits, count, classes) }
            : throw new InvalidDataException($"returned the computation of {run.Compute.Count} samples for {count}");

    /// <summary>The prediction of row <paramref name="row"/> of a logits matrix with <paramref name="classes"/> columns;
    /// an error when that row is not finite (a softmax over NaN would name an arbitrary class).</summary>
    public static Prediction ToPrediction(string id, float[] logits, int row, int classes, int tapeLength)
    {
        var z = logits.AsSpan(row * classes, classes);
        foreach (var v in z)
            if (!float.IsFinite(v)) return Prediction.Failed(id, "backend returned non-finite logits");
        var max = float.NegativeInfinity;
        foreach (var v in z) max = Math.Max(max, v);
        var exp = new double[classes];
        for (var c = 0; c < classes; c++) exp[c] = Math.Exp(z[c] - max);
        var sum = exp.Sum();
        var probabilities = exp.Select(e => (float)(e / sum)).ToArray();
        return new Prediction(id, Array.IndexOf(probabilities, probabilities.Max()), z.ToArray(), probabilities, tapeLength);
    }
}
