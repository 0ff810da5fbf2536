using AdaTapeDml.Backends.TorchSharp.Models;
using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Specs;
using static TorchSharp.torch;

namespace AdaTapeDml.Backends.TorchSharp.Training;

/// <summary>Held-out evaluation of a model: accuracy, loss and the distribution of each sample's adaptive statistic
/// (tape length, UT steps or A-ViT mean token depth).</summary>
public static class TorchEvaluation
{
    private const int BatchSize = 1000;

    public static EvalResult Evaluate(ClassifierModel model, RunSpec spec, IDataSource data, int step)
    {
        model.eval();
        using var _ = no_grad();
        var (correct, count, lossSum) = (0L, 0, 0.0);
        var lengths = new List<long>();
        var statistics = new List<double>();
        foreach (var batch in data.EvalBatches(BatchSize))
        {
            using var scope = NewDisposeScope();
            var output = model.forward(tensor(batch.Inputs, batch.Shape, device: model.Device));
            var labels = tensor(batch.Labels.Select(l => (long)l).ToArray(), device: model.Device);
            correct += output.Logits.argmax(-1).eq(labels).sum().item<long>();
            lossSum += nn.functional.cross_entropy(output.Logits, labels, reduction: nn.Reduction.Sum).item<float>();
            count += batch.Count;
            if (output.TapeLengths is not null) lengths.AddRange(output.TapeLengths.cpu().data<long>().ToArray());
            if (output.Statistic() is { } statistic) statistics.AddRange(statistic.cpu().data<float>().Select(v => (double)v));
        }
        var histogram = spec.Model is AdaTapeModelSpec a
            ? Enumerable.Range(0, a.Tape.NumTapeTokens + 1).Select(l => lengths.Count(x => x == l)).ToArray()
            : [];
        var (mean, std) = statistics.Count > 0 ? MeanStd(statistics) : (0, 0);
        return new EvalResult(step, correct / (double)count, lossSum / count, mean, std, count, histogram);
    }

    private static (double Mean, double Std) MeanStd(IReadOnlyList<double> xs)
    {
        var mean = xs.Average();
        return (mean, Math.Sqrt(xs.Sum(x => (x - mean) * (x - mean)) / xs.Count));
    }
}
