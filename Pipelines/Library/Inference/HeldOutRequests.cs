using AdaTapeDml.Core.Contracts;

namespace AdaTapeDml.Pipelines.Inference;

/// <summary>The first samples of a task's held-out set as inference requests ("eval0", "eval1", ...), with their labels.</summary>
public static class HeldOutRequests
{
    /// <summary>The first <paramref name="count"/> held-out samples of <paramref name="data"/>, cycling when the set is smaller.</summary>
    public static (List<InferenceRequest> Requests, int[] Labels) Take(IDataSource data, int count)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "at least one sample");
        var per = (int)data.InputShape.Aggregate(1L, (a, b) => a * b);
        var (requests, labels) = (new List<InferenceRequest>(count), new List<int>(count));
        while (requests.Count < count)
            foreach (var batch in data.EvalBatches(Math.Min(count, 1000)))
                for (var b = 0; b < batch.Count && requests.Count < count; b++)
                {
                    requests.Add(new InferenceRequest($"eval{requests.Count}", batch.Inputs.AsSpan(b * per, per).ToArray()));
                    labels.Add(batch.Labels[b]);
                }
        return (requests, labels.ToArray());
    }
}
