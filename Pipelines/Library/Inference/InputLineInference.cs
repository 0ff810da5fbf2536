using System.Reactive.Linq;
using AdaTapeDml.Core.Contracts;

namespace AdaTapeDml.Pipelines.Inference;

/// <summary>Answers the samples of an input file in file order: the readable ones through the elastic pipeline, the
/// unreadable ones with their own error in their place.</summary>
public static class InputLineInference
{
    /// <summary>One prediction per line of <paramref name="lines"/>, in order, streamed as the pipeline answers. No session is
    /// created when no line is readable.</summary>
    public static IEnumerable<Prediction> Answer(IReadOnlyList<InputLine> lines, Func<IInferenceSession> createSession, ElasticOptions options)
    {
        var requests = lines.Where(l => l.Request is not null).Select(l => l.Request!).ToList();
        var answers = requests.Count == 0 ? []
            : ElasticPipeline.Create(requests.ToObservable(), createSession, options with { Ordered = true }).ToEnumerable();
        using var next = answers.GetEnumerator();
        foreach (var line in lines)
        {
            if (line.Error is not null) yield return Prediction.Failed(line.Id, line.Error);
            else if (next.MoveNext()) yield return next.Current;
            else throw new InvalidOperationException($"the pipeline ended before answering {line.Id} (line {line.Number})");
        }
    }
}
