using System.Diagnostics.Contracts;
using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Layout;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Core.Tasks;

namespace AdaTapeDml.Core.Cost;

/// <summary>Forward FLOPs per sample of each model as a function of what it adapts: the tape length for AdaTape,
/// the number of recurrent steps for the Universal Transformer, each token's depth for A-ViT. Used for cost/accuracy reports and benchmark ratios.
/// It counts the model as defined, so every backend is measured against the same work: where a backend computes the same
/// function with less (the parity bank as a 3-row lookup, a lone token's attention as its value), it is faster, and the
/// count stays.</summary>
public static class CostModel
{
    /// <summary>FLOPs of one sample. <paramref name="tapeTokens"/>: AdaTape tape length (0..T);
    /// <paramref name="utSteps"/>: Universal Transformer steps computed (1..maxSteps; default the maximum);
    /// <paramref name="tokenDepths"/>: A-ViT layers each token went through (1..depth; default every token all layers).</summary>
    [Pure]
    public static CostBreakdown Forward(ModelSpec model, TaskSpec task, int tapeTokens = 0, int? utSteps = null, IReadOnlyList<int>? tokenDepths = null)
    {
        var e = model.Encoder;
        var d = (long)e.Width;
        var cls = e.Classifier == Classifier.Token ? 1 : 0;
        var head = 2 * d * task.NumClasses;
        switch (model)
        {
            case AdaTapeModelSpec a:
            {
                var (n, embed) = Input(a, task);
                var steps = (long)Math.Ceiling(tapeTokens / (double)a.Tape.TokensPerStep);
                var bankSize = (long)ModelLayout.BankSizeOf(a.Bank, task);
                var keyWidth = d / a.Tape.SplitTt;
                var atr = steps * (2 * bankSize * keyWidth + 2 * a.Tape.CandidatesPerStep * d);
                var tapeMlp = a.Tape.TtMlpDim > 0 ? tapeTokens * GluFlops(d, a.Tape.TtMlpDim) : 0;              // in ENCODE, at the tape's length
                var before = a.Tape.AddTapeAtLayer * Block(n, 0, e, 0);
                var after = BlocksAfterTape(a, n, tapeTokens);
                return new CostBreakdown(embed, BankFlops(a.Bank, task, d), atr, tapeMlp, before + after, 0, head);
            }
            case TransformerModelSpec:
            {
                var (n, embed) = Input(model, task);
                return new CostBreakdown(embed, 0, 0, 0, e.Depth * Block(n, 0, e, 0), 0, head);
            }
            case UniversalTransformerModelSpec ut:
            {
                var (n, embed) = Input(model, task);
                var steps = utSteps ?? ut.Act.MaxSteps;
                return new CostBreakdown(embed, 0, 0, 0, steps * Block(n, 0, e, 0), steps * 2 * d * n, head);
            }
            case AvitModelSpec:
            {
                var (n, embed) = Input(model, task);
                var depths = tokenDepths ?? Enumerable.Repeat(e.Depth, (int)n).ToArray();
                // Layer l computes only the tokens still active there (depth > l); halted tokens are neither queries nor keys.
                var blocks = Enumerable.Range(0, e.Depth).Sum(l => Block(depths.Count(depth => depth > l), 0, e, 0));
                return new CostBreakdown(embed, 0, 0, 0, blocks, 0, head);
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(model), model, "unknown model kind");
        }
    }

    /// <summary>FLOPs of each sample of a run, from what that sample computed (its tape length, UT steps or token depths).</summary>
    [Pure]
    public static long[] PerSample(ModelSpec model, TaskSpec task, SampleCompute compute) =>
        Enumerable.Range(0, compute.Count).Select(b => compute switch
        {
            TapeCompute tape => Forward(model, task, tapeTokens: tape.Lengths[b]),
            HaltingStepsCompute ut => Forward(model, task, utSteps: ut.Steps[b]),
            TokenDepthCompute avit => Forward(model, task, tokenDepths: avit.DepthsOf(b).ToArray()),
            _ => Forward(model, task),
        }).Select(cost => cost.Total).ToArray();

    /// <summary>FLOPs of AdaTape's ENCODE stage for one sample (the tape MLP over <paramref name="tapeTokens"/> tokens, the
    /// blocks from the tape layer on over the input and those tokens, and the head); READ is everything else of
    /// <see cref="Forward"/>.</summary>
    [Pure]
    public static long EncodeFlops(AdaTapeModelSpec model, TaskSpec task, int tapeTokens)
    {
        var n = ModelLayout.Of(model, task).Tokens;
        var tapeMlp = model.Tape.TtMlpDim > 0 ? tapeTokens * GluFlops(model.Encoder.Width, model.Tape.TtMlpDim) : 0;
        return tapeMlp + BlocksAfterTape(model, n, tapeTokens) + 2L * model.Encoder.Width * task.NumClasses;
    }

    private static long BlocksAfterTape(AdaTapeModelSpec a, long n, int tapeTokens) =>
        (a.Encoder.Depth - a.Tape.AddTapeAtLayer) * Block(n, tapeTokens, a.Encoder, a.Tape.EncTtMlpDim);

    /// <summary>One pre-LN encoder block over n input tokens and t tape tokens: QKV and output projections,
    /// attention scores and mixing, and the feed-forward (tape tokens use their own GLU FFN when ttFfn &gt; 0).</summary>
    [Pure]
    public static long Block(long n, long t, EncoderSpec e, int ttFfn)
    {
        var d = (long)e.Width;
        var len = n + t;
        var projections = 8 * len * d * d;
        var attention = 4 * len * len * d;
        var ffn = ttFfn > 0 ? n * 4 * d * e.MlpDim + t * GluFlops(d, ttFfn) : len * 4 * d * e.MlpDim;
        return projections + attention + ffn;
    }

    /// <summary>Tokens a model's encoder processes per sample (CLS included): one per parity element or image patch for
    /// the baselines, as the model's layout says.</summary>
    [Pure]
    public static int TokenCount(ModelSpec model, TaskSpec task) => ModelLayout.Of(model, task).Tokens;

    /// <summary>GLU MLP Dense(D, 2H) then Dense(H, D), per token.</summary>
    [Pure]
    public static long GluFlops(long d, long hidden) => 2 * d * 2 * hidden + 2 * hidden * d;

    /// <summary>Tokens per sample (CLS included) and the embedding's FLOPs: a Dense over the whole one-hot sequence
    /// (AdaTape on parity) or over each element's one-hot, or a patch convolution.</summary>
    private static (long Tokens, long Flops) Input(ModelSpec model, TaskSpec task)
    {
        var layout = ModelLayout.Of(model, task);
        var d = (long)model.Encoder.Width;
        var flops = layout.InputKind switch
        {
            InputTokenKind.WholeSequence or InputTokenKind.PerElement => 2L * Parity.Channels * ((ParityTaskSpec)task).SeqLen * d,
            _ => PatchFlops(model.Encoder.PatchSize, d),
        };
        return (layout.Tokens, flops);
    }

    /// <summary>A patch convolution over the image to D features per patch.</summary>
    private static long PatchFlops(int patch, long width) => 2L * ModelLayout.PatchCount(patch) * patch * patch * width;

    /// <summary>Building an input-driven bank: Dense over each one-hot element, or a patch conv + Dense(D).</summary>
    private static long BankFlops(BankSpec bank, TaskSpec task, long d) => (bank, task) switch
    {
        (LearnableBankSpec, _) => 0,
        (SequenceInputBankSpec, ParityTaskSpec p) => 2L * Parity.Channels * d * p.SeqLen,
        (ImageInputBankSpec i, _) => PatchFlops(i.PatchSize, d) + 2L * ModelLayout.BankSizeOf(bank, task) * d * d,
        _ => 0,
    };
}
