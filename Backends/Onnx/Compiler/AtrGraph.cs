using AdaTapeDml.Backends.Onnx.Graph;
using AdaTapeDml.Core.Atr;
using AdaTapeDml.Core.Specs;
using DataType = AdaTapeDml.Backends.Onnx.Proto.TensorProto.Types.DataType;

namespace AdaTapeDml.Backends.Onnx.Compiler;

/// <summary>Adaptive Tape Reading unrolled over its S = T / m steps with masks and fixed shapes (no Loop/If, as DirectML
/// needs), in evaluation mode. Every step follows TorchAtr / ReferenceAtr: each sample's own scores, top-k of the unread
/// entries (ties to the lower index, as ONNX TopK), softmax over valid candidates, d = sum of the first m weights (exactly 1
/// when at most m were merged), halting when h + d &gt;= tau, m tokens by rank mod m, all k candidates masked afterwards,
/// and a sample whose bank is exhausted stops. Samples that stopped get zero weights, so their later tokens are zero.
///
/// The halting sum: TorchAtr keeps h in double, where sums of these float increments are exact. DirectML has no double
/// arithmetic, and a float32 h decides differently whenever the exact sum lies within rounding of tau: e.g. tau =
/// 2.00000001 with increments of exactly 1 (k = 1) halts after 2 steps in float32 but after 3 in double, and sums like
/// 0.7 + 0.65 + 0.65 can round onto tau. So h is carried as an unevaluated float pair (hi + lo, Knuth's TwoSum), exact here
/// (increments lie in [1/k, 1] and S is small, so every partial sum fits in 48 bits), and compared with tau split into a
/// float pair: the same decisions as the double sum, with float32 operators only.</summary>
public static class AtrGraph
{
    /// <param name="query">[B, D] pooled query before the shared LayerNorm.</param>
    /// <param name="bank">[N, D] shared or [B, N, D] per sample, before the LayerNorm.</param>
    /// <param name="trace">When given, also records each step's values and emits the ATR loss (diagnostic graphs only).</param>
    /// <returns>Tokens [B, T, D] in reading order (zero beyond a sample's length) and lengths [B] int64.</returns>
    public static (string Tokens, string Lengths) Emit(OnnxGraphBuilder g, ModelWeights w, AtrConfig c, int width, string query, string bank,
        bool shared, int bankSize, AtrGraphTrace? trace = null)
    {
        var (k, m, dk) = (Math.Min(c.Candidates, bankSize), c.TokensPerStep, c.KeyWidth);
        var q = g.Slice(DenseLayers.LayerNorm(g, w, "bank_norm", query, width), 1, 0, dk);                 // [B, dk]
        var values = DenseLayers.LayerNorm(g, w, "bank_norm", bank, width);                               // V [(B,) N, D]
        var keys = g.Slice(values, shared ? 1 : 2, 0, dk);                                                // K [(B,) N, dk]
        var keysT = shared ? g.Transpose(keys, 1, 0) : null;                                              // [dk, N]
        var rankGroups = g.Weight("rank_groups", RankGroups(k, m), m, k);                                 // [m, k]
        var (tauHi, tauLo) = Split(c.Threshold);

        // State: read bias [B, N] (0 unread, float.MinValue read), running [B], h = hi + lo [B], steps taken [B] (float).
        var zerosB = g.Mul(g.ReduceSum(q, 1), g.Scalar(0f));                                              // [B] zeros shaped like the batch
        var readBias = g.Mul(g.Unsqueeze(zerosB, 1), g.Reshape(g.Weight("ones_n", Enumerable.Repeat(1f, bankSize).ToArray(), bankSize), 1, bankSize)); // [B, N]
        var running = g.Equal(zerosB, g.Scalar(0f));                                                      // all true
        var (hHi, hLo, taken) = (zerosB, zerosB, zerosB);
        var tokens = new List<string>();
        for (var t = 0; t < c.MaxSteps; t++)
        {
            var scores = shared ? g.MatMul(q, keysT!) : g.Squeeze(g.MatMul(keys, g.Unsqueeze(q, -1)), -1);    // s = K q  [B, N]
            var (top, idx) = g.TopK(g.Add(scores, readBias), k);                                               // k best unread first [B, k]
            var unread = g.Greater(top, g.Scalar(Unread));                                                     // candidate exists [B, k]
            running = g.And(running, g.Greater(g.ReduceMax(top, 1), g.Scalar(Unread)));                       // an exhausted bank stops the sample
            var valid = g.And(unread, g.Unsqueeze(running, 1));
            var validF = g.Cast(valid, DataType.Float);
            var logits = g.Div(top, g.Scalar((float)Math.Sqrt(dk)));                                           // s[idx] / sqrt(dk) (top = s where unread)
            var weights = g.Mul(g.Softmax(g.Where(valid, logits, g.Scalar(-1e9f))), validF);                  // w, 0 off-candidates [B, k]
            var merged = g.ReduceSum(validF, 1);                                                               // candidates merged [B]
            var firstM = g.Min(g.ReduceSum(g.Slice(weights, 1, 0, Math.Min(m, k)), 1), g.Scalar(1f));
            var d = g.Where(g.LessOrEqual(merged, g.Scalar(m)), g.Scalar(1f), firstM);                        // d, exactly 1 if <= m merged
            var (sum, error) = TwoSum(g, hHi, d);                                                              // h + d = sum + lo' exactly
            var lo = g.Add(hLo, error);
            var reaches = g.GreaterOrEqual(g.Add(g.Sub(sum, g.Scalar(tauHi)), g.Sub(lo, g.Scalar(tauLo))), g.Scalar(0f));
            var halts = g.And(running, reaches);                                                               // halts now
            (hHi, hLo) = (g.Where(running, sum, hHi), g.Where(running, lo, hLo));                              // h += d while running
            var runningF = g.Cast(running, DataType.Float);
            taken = g.Add(taken, runningF);                                                                    // n += 1 (halting step counts)
            if (trace is not null)                                                                              // h reported clamped to tau on the halting step
                Record(g, trace, c.LossType, new AtrGraphStep(idx, weights, validF, runningF, g.Where(halts, g.Scalar(tauHi), hHi), g.Where(halts, g.Scalar(tauLo), hLo)));
            var idx32 = g.Cast(idx, DataType.Int32);                                                           // DirectML: int32 indices (ORT issue 27118)
            var selected = shared
                ? g.Gather(values, idx32, 0)                                                                   // V[idx] [B, k, D]
                : g.GatherElements(values, g.Expand(g.Unsqueeze(idx32, -1), g.Int64s(1, 1, width)), 1);
            var weighted = g.Mul(g.Unsqueeze(weights, -1), selected);                                          // w_i V[idx_i]
            tokens.Add(g.MatMul(rankGroups, weighted));                                                        // m tokens by rank mod m [B, m, D]
            var tape = g.Slice(g.ReduceSum(weighted, 1), 1, 0, dk);                                            // merged tape_t[:dk] [B, dk]
            var next = c.ComplexQuery ? g.Div(g.Add(q, tape), g.Scalar(2f)) : tape;                            // query update
            q = g.Where(g.Unsqueeze(running, 1), next, q);
            var stillUnread = g.Where(g.And(unread, g.Not(valid)), g.Scalar(0f), g.Scalar(float.MinValue));   // all k valid candidates are masked
            readBias = g.Op("ScatterElements", [readBias, idx32, stillUnread], OnnxAttribute.Int("axis", 1));
            running = g.And(running, g.Not(halts));
        }
        var lengths = g.Cast(g.Mul(taken, g.Scalar(m)), DataType.Int64);                                       // n * m
        return (g.Concat(1, [.. tokens]), lengths);
    }

    /// <summary>Adds the step to the trace and its loss (1 - sum w^2 or 1 - max w, for samples that took it) to the total.</summary>
    private static void Record(OnnxGraphBuilder g, AtrGraphTrace trace, ActLossType lossType, AtrGraphStep step)
    {
        var spent = lossType == ActLossType.Entropy
            ? g.ReduceSum(g.Mul(step.Weights, step.Weights), 1)
            : g.ReduceMax(step.Weights, 1);
        var loss = g.Mul(g.Sub(g.Scalar(1f), spent), step.Taken);
        trace.Loss = trace.Steps.Count == 0 ? loss : g.Add(trace.Loss, loss);
        trace.Steps.Add(step);
    }

    /// <summary>Read entries score float.MinValue (+ a score that vanishes in rounding); anything above this is unread.</summary>
    private const float Unread = -1e38f;

    /// <summary>Knuth's TwoSum: s = fl(a + b) and the exact rounding error e, so that a + b = s + e.</summary>
    private static (string Sum, string Error) TwoSum(OnnxGraphBuilder g, string a, string b)
    {
        var s = g.Add(a, b);
        var bb = g.Sub(s, a);
        var e = g.Add(g.Sub(a, g.Sub(s, bb)), g.Sub(b, bb));
        return (s, e);
    }

    /// <summary>tau as a float pair hi + lo (exact for every tau with at most 48 significant bits, e.g. 2.0, 1.5, 2.5).</summary>
    private static (float Hi, float Lo) Split(double tau)
    {
        var hi = (float)tau;
        return (hi, (float)(tau - hi));
    }

    /// <summary>[m, k] 0/1: candidate of rank r feeds tape token r mod m.</summary>
    private static float[] RankGroups(int k, int m)
    {
        var data = new float[m * k];
        for (var r = 0; r < k; r++) data[(r % m) * k + r] = 1f;
        return data;
    }
}
