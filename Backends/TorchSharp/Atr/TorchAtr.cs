using AdaTapeDml.Core.Atr;
using AdaTapeDml.Core.Numerics;
using AdaTapeDml.Core.Specs;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AdaTapeDml.Backends.TorchSharp.Atr;

/// <summary>Adaptive Tape Reading over a batch, differentiable in the query, the bank and the shared LayerNorm.
/// Every sample follows exactly the Core oracle <see cref="ReferenceAtr"/>: its own scores, stable top-k (ties to the
/// lower index), m tokens per step, and a bank that runs out stops the sample. Samples that stopped are carried
/// unchanged; the loop ends as soon as every sample has stopped, so easy batches cost fewer steps.</summary>
public static class TorchAtr
{
    /// <param name="query">[B, D] pooled query before the shared LayerNorm.</param>
    /// <param name="bank">[B, N, D] per-sample bank, or [N, D] shared by the batch, before the LayerNorm.</param>
    /// <param name="normWeight">[D] LayerNorm scale.</param>
    /// <param name="normBias">[D] LayerNorm shift.</param>
    /// <param name="config">ATR knobs.</param>
    /// <param name="queryNoise">[B, D] already-scaled training noise, or null.</param>
    /// <param name="hidden">[B, N] bool entries hidden from each sample (training bank masking), or null.</param>
    public static TorchAtrOutput Read(Tensor query, Tensor bank, Tensor normWeight, Tensor normBias, AtrConfig config,
        Tensor? queryNoise = null, Tensor? hidden = null)
    {
        var (b, width) = (query.shape[0], query.shape[1]);
        var (k, m, dk, steps) = (config.Candidates, config.TokensPerStep, config.KeyWidth, config.MaxSteps);
        var device = query.device;
        if (bank.dim() == 2) bank = bank.unsqueeze(0).expand(b, -1, -1);                      // [B, N, D]
        var n = bank.shape[1];
        if (queryNoise is not null) query = query.Plus(queryNoise);
        var q = LayerNormInDouble(query, normWeight, normBias)[.., ..(int)dk];                                       // [B, dk]
        var values = LayerNormInDouble(bank, normWeight, normBias);                                                 // V [B, N, D]
        var keys = values[.., .., ..(int)dk];                                                                      // K [B, N, dk]
        var read = hidden is null ? zeros(b, n, dtype: ScalarType.Bool, device: device) : hidden.to(ScalarType.Bool).clone(); // [B, N]
        var running = ones(b, dtype: ScalarType.Bool, device: device);
        var h = zeros(b, dtype: ScalarType.Float64, device: device);                                            // halting sum in double, as the oracle
        var loss = zeros(b, device: device);
        var taken = zeros(b, dtype: ScalarType.Int64, device: device);
        using var tau = config.ActEpsilon.ToScalar();
        using var perStep = ((long)m).ToScalar();
        using var sqrtDk = Math.Sqrt(dk).ToScalar();
        var rankGroups = RankGroups(k, m, device);                                                                 // [m, k]
        var tokens = new List<Tensor>();
        var indexLog = new List<Tensor>();
        var weightLog = new List<Tensor>();
        var candidatesToRead = Math.Min(k, (int)n);
        for (var t = 0; t < steps; t++)
        {
            if (!running.any().item<bool>()) break;
            var scores = (keys * q.unsqueeze(1)).sum(-1);                                                      // s = K q  [B, N]
            var masked = scores.masked_fill(read, KeptScalars.NegativeInfinity);
            var idx = masked.sort(-1, descending: true, stable: true).Indices[.., ..candidatesToRead];            // top-k unread [B, k']
            var valid = masked.gather(1, idx).isfinite();                                                       // candidate exists [B, k']
            var available = valid.any(-1);
            running = running & available;                                                                     // an exhausted bank stops the sample
            valid = valid & running.unsqueeze(-1);
            var logits = scores.gather(1, idx).div(sqrtDk);                                                     // s[idx] / sqrt(dk)
            var w = F.softmax(logits.masked_fill(valid.logical_not(), KeptScalars.MinusBillion), -1) * valid;                        // per-sample weights, 0 off-candidates
            var stepLoss = config.LossType switch                                                              // l = 1 - sum w^2 | 1 - max w
            {
                ActLossType.Entropy => w.pow(KeptScalars.Two).sum(-1).OneMinus(),
                ActLossType.Max => w.amax(-1).OneMinus(),
                _ => throw new ArgumentOutOfRangeException(nameof(config), config.LossType, "unknown ATR loss type"),
            };
            var merged = valid.sum(-1);
            var d = where(merged.le(perStep), ones_like(h), w[.., ..Math.Min(m, candidatesToRead)].sum(-1).clamp_max(KeptScalars.One).to(ScalarType.Float64)); // d, exactly 1 if <= m merged
            var halts = running & h.Plus(d).ge(tau);
            loss = loss.Plus(where(running, stepLoss, zeros_like(stepLoss)));                                     // R += l while running
            h = where(halts, full_like(h, tau), where(running, h.Plus(d), h));                                    // h += d, clamped to tau
            taken = taken.Plus(running.to(ScalarType.Int64));                                                    // n += 1 (halting step counts)
            var selected = values.gather(1, idx.unsqueeze(-1).expand(-1, -1, width));                           // V[idx]  [B, k', D]
            var weighted = w.unsqueeze(-1) * selected;                                                          // w_i V[idx_i]
            tokens.Add(matmul(rankGroups[.., ..candidatesToRead], weighted));                                   // m tokens by rank mod m [B, m, D]
            var tape = weighted.sum(1);                                                                         // merged tape_t [B, D]
            var nextQuery = config.ComplexQuery ? q.Plus(tape[.., ..(int)dk]).div(KeptScalars.Two) : tape[.., ..(int)dk];         // query update
            q = where(running.unsqueeze(-1), nextQuery, q);
            read = read.scatter(1, idx, valid | read.gather(1, idx));                                          // all k candidates are masked
            indexLog.Add(where(valid, idx, full_like(idx, KeptScalars.MinusOne)));
            weightLog.Add(w.detach());
            running = running & halts.logical_not();
        }
        return new TorchAtrOutput(
            Pad(tokens.Count == 0 ? zeros(b, 0, width, device: device) : cat(tokens, 1), config.NumTapeTokens),
            taken.mul(perStep), loss, h, taken,
            PadSteps(indexLog, b, steps, k, -1, ScalarType.Int64, device),
            PadSteps(weightLog, b, steps, k, 0, ScalarType.Float32, device));
    }

    /// <summary>The shared LayerNorm computed in double and returned in the input's type, as the oracle computes it: in
    /// float32 a nearly constant row (spread 0.03 on a mean of 6.44) loses ~1e-5 to cancellation.</summary>
    private static Tensor LayerNormInDouble(Tensor x, Tensor weight, Tensor bias) =>
        F.layer_norm(x.to(ScalarType.Float64), [x.shape[^1]], weight.to(ScalarType.Float64), bias.to(ScalarType.Float64), LayerNormParams.Epsilon)
            .to(x.dtype);

    /// <summary>[m, k] 0/1 matrix: candidate of rank r feeds tape token r mod m.</summary>
    private static Tensor RankGroups(int k, int m, Device device)
    {
        var data = new float[m * k];
        for (var r = 0; r < k; r++) data[(r % m) * k + r] = 1f;
        return tensor(data, [m, k], device: device);
    }

    /// <summary>Zero-pads the token dimension of [B, L, D] to <paramref name="length"/>.</summary>
    private static Tensor Pad(Tensor tokens, int length) =>
        tokens.shape[1] == length ? tokens : F.pad(tokens, [0, 0, 0, length - tokens.shape[1]]);

    /// <summary>Stacks per-step logs [B, k'] into [B, S, k], padding unused steps and candidates.</summary>
    private static Tensor PadSteps(List<Tensor> log, long b, int steps, int k, double fill, ScalarType type, Device device)
    {
        using var fillValue = fill.ToScalar();
        var result = full(b, steps, k, fillValue, dtype: type, device: device);
        for (var t = 0; t < log.Count; t++)
            result[.., t, ..(int)log[t].shape[1]] = log[t].to(type);
        return result;
    }
}
