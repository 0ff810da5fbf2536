using AdaTapeDml.Backends.TorchSharp.Atr;
using static TorchSharp.torch;

namespace AdaTapeDml.Properties.Halting.Backends;

/// <summary>The batched TorchSharp ATR: the whole batch in one call, with the same per-sample perturbations as the oracle.
/// It does not expose per-step halting sums.</summary>
public sealed class TorchAtrImplementation : IAtrImplementation
{
    public string Name => "torch";

    public bool HasTrainingMode => true;

    /// <summary>It normalises in double, as the oracle does.</summary>
    public double Tolerance => 1e-5;

    public bool RoundsAsTheOracle => false;

    public bool BatchShapeMovesNearTies => false;

    public IReadOnlyList<AtrTrace> Read(AtrBatch batch)
    {
        using var scope = NewDisposeScope();
        var (b, d, n) = (batch.Count, batch.Width, batch.Banks[0].Length);
        var bank = batch.SharedBank
            ? tensor(batch.Banks[0].SelectMany(r => r).ToArray(), [n, d])                              // [N, D]
            : tensor(batch.Banks.SelectMany(bk => bk.SelectMany(r => r)).ToArray(), [b, n, d]);         // [B, N, D]
        var perturbations = Enumerable.Range(0, b).Select(batch.PerturbationOf).ToArray();
        var output = TorchAtr.Read(
            tensor(batch.Queries.SelectMany(q => q).ToArray(), [b, d]), bank,
            tensor(batch.Norm.Gamma), tensor(batch.Norm.Beta), batch.Config,
            batch.Training is null ? null : tensor(perturbations.SelectMany(p => p!.QueryNoise).ToArray(), [b, d]),
            batch.Training is null ? null : tensor(perturbations.SelectMany(p => p!.Hidden).ToArray(), [b, n]));
        return Enumerable.Range(0, b).Select(s => Trace(output, s, batch)).ToArray();
    }

    private static AtrTrace Trace(TorchAtrOutput output, int s, AtrBatch batch)
    {
        var (config, d) = (batch.Config, batch.Width);
        var steps = (int)output.Steps[s].item<long>();
        var indices = output.Indices[s].data<long>().ToArray();                                        // [S, k]
        var weights = output.Weights[s].data<float>().ToArray();                                       // [S, k]
        var tape = output.TapeTokens[s].contiguous().data<float>().ToArray();                          // [T, D]
        var k = config.Candidates;
        var stepIndices = Enumerable.Range(0, steps)
            .Select(t => Enumerable.Range(0, k).Where(c => indices[t * k + c] >= 0).Select(c => (int)indices[t * k + c]).ToArray()).ToArray();
        var stepWeights = Enumerable.Range(0, steps)
            .Select(t => Enumerable.Range(0, stepIndices[t].Length).Select(c => weights[t * k + c]).ToArray()).ToArray();
        var length = (int)output.Lengths[s].item<long>();
        var tokens = Enumerable.Range(0, length).Select(slot => tape.AsSpan(slot * d, d).ToArray()).ToArray();
        return new AtrTrace(stepIndices, stepWeights, tokens, output.HaltingSum[s].item<double>(), output.Loss[s].item<float>(), null);
    }
}
