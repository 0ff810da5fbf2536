namespace AdaTapeDml.Properties.Halting.Backends;

/// <summary>The ONNX backend's unrolled ATR graph, the whole batch in one Run. An inference graph has no training mode
/// (no query noise, no bank masking), so it is checked on evaluation batches only.</summary>
public sealed class OnnxAtrImplementation : IAtrImplementation
{
    public string Name => "onnx";

    public bool HasTrainingMode => false;

    /// <summary>ONNX Runtime normalises in float32 (DirectML has no double): the inference backends' 1e-4.</summary>
    public double Tolerance => 1e-4;

    public bool RoundsAsTheOracle => false;

    public bool BatchShapeMovesNearTies => true;

    public IReadOnlyList<AtrTrace> Read(AtrBatch batch)
    {
        if (batch.Training is not null) throw new ArgumentException("the ONNX ATR graph has no training mode", nameof(batch));
        var (b, d, n) = (batch.Count, batch.Width, batch.Banks[0].Length);
        var bank = batch.SharedBank ? batch.Banks[0].SelectMany(r => r).ToArray() : batch.Banks.SelectMany(bk => bk.SelectMany(r => r)).ToArray();
        var output = OnnxAtrGraph.Run(batch.Config, batch.Norm, batch.Queries.SelectMany(q => q).ToArray(), bank, b, n, batch.SharedBank);
        return Enumerable.Range(0, b).Select(s => Trace(output, s, batch.Config.MaxSteps, d)).ToArray();
    }

    private static AtrTrace Trace(OnnxAtrOutputs o, int s, int maxSteps, int d)
    {
        var k = o.Candidates;
        var steps = Enumerable.Range(0, maxSteps).Count(t => o.Taken[s * maxSteps + t] == 1f);
        int At(int t, int c) => (s * maxSteps + t) * k + c;
        var merged = Enumerable.Range(0, steps).Select(t => Enumerable.Range(0, k).Where(c => o.Merged[At(t, c)] == 1f).ToArray()).ToArray();
        var indices = merged.Select((cs, t) => cs.Select(c => (int)o.Indices[At(t, c)]).ToArray()).ToArray();
        var weights = merged.Select((cs, t) => cs.Select(c => o.Weights[At(t, c)]).ToArray()).ToArray();
        var length = (int)o.Lengths[s];
        var tokens = Enumerable.Range(0, length).Select(slot => o.Tokens.AsSpan((s * (o.Tokens.Length / o.Lengths.Length)) + slot * d, d).ToArray()).ToArray();
        var sums = Enumerable.Range(0, steps).Select(t => (double)o.HaltingHi[s * maxSteps + t] + o.HaltingLo[s * maxSteps + t]).ToArray();
        return new AtrTrace(indices, weights, tokens, steps == 0 ? 0 : sums[^1], o.Loss[s], sums);
    }
}
