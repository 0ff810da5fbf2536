using AdaTapeDml.Core.Contracts;

namespace AdaTapeDml.Pipelines.Inference;

/// <summary>The synchronous work of one micro-batch on one session: validate each request, READ the valid ones,
/// group them by tape length and ENCODE each group at its own length. Pure orchestration over the contract.</summary>
public static class ElasticBatch
{
    /// <summary>Predictions for <paramref name="requests"/>, in the same order. A backend failure fails this batch's
    /// requests (each gets the error) and leaves the stream running.</summary>
    public static Prediction[] Execute(IInferenceSession session, IReadOnlyList<InferenceRequest> requests, LengthGrouping grouping)
    {
        try { return ExecuteOrThrow(session, requests, grouping); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var message = $"backend {session.Backend} failed: {e.Message.ReplaceLineEndings(" ")}";
            return requests.Select(r => Prediction.Failed(r.Id, message)).ToArray();
        }
    }

    private static Prediction[] ExecuteOrThrow(IInferenceSession session, IReadOnlyList<InferenceRequest> requests, LengthGrouping grouping)
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
            var (logits, lengths) = session.Run(inputs, valid.Count);
            for (var j = 0; j < valid.Count; j++) predictions[valid[j]] = ToPrediction(requests[valid[j]].Id, logits, j, classes, lengths[j]);
            return predictions;
        }
        var read = session.Read(inputs, valid.Count);
        foreach (var group in Enumerable.Range(0, valid.Count).GroupBy(j => grouping.BucketOf(read.Lengths[j])))
        {
            var members = group.ToArray();
            var slots = members.Max(j => read.Lengths[j]);                           // the group's longest tape
            var hidden = members.SelectMany(j => read.HiddenOf(j).ToArray()).ToArray();  // [G, n, D]
            var tape = members.SelectMany(j => read.TapeOf(j, slots).ToArray()).ToArray(); // [G, slots, D]
            var lengths = members.Select(j => read.Lengths[j]).ToArray();
            var logits = session.Encode(hidden, tape, lengths, slots);
            for (var g = 0; g < members.Length; g++)
                predictions[valid[members[g]]] = ToPrediction(requests[valid[members[g]]].Id, logits, g, classes, lengths[g]);
        }
        return predictions;
    }

    /// <summary>The prediction of row <paramref name="row"/> of a logits matrix with <paramref name="classes"/> columns.</summary>
    public static Prediction ToPrediction(string id, float[] logits, int row, int classes, int tapeLength)
    {
        var z = logits.AsSpan(row * classes, classes);
        var max = float.NegativeInfinity;
        foreach (var v in z) max = Math.Max(max, v);
        var exp = new double[classes];
        for (var c = 0; c < classes; c++) exp[c] = Math.Exp(z[c] - max);
        var sum = exp.Sum();
        var probabilities = exp.Select(e => (float)(e / sum)).ToArray();
        return new Prediction(id, Array.IndexOf(probabilities, probabilities.Max()), z.ToArray(), probabilities, tapeLength);
    }
}
