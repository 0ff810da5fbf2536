using System.Diagnostics.Contracts;
using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Specs;

namespace AdaTapeDml.Core.Cost;

/// <summary>Forward FLOPs per sample of each model as a function of what it adapts: the tape length for AdaTape,
/// the number of recurrent steps for the Universal Transformer, each token's depth for A-ViT. Used for cost/accuracy reports and benchmark ratios.</summary>
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
                var (inputTokens, embed) = AdaTapeInput(a, task);
                var n = inputTokens + cls;
                var steps = (long)Math.Ceiling(tapeTokens / (double)a.Tape.TokensPerStep);
                var bankSize = BankSize(a.Bank, task);
                var keyWidth = d / a.Tape.SplitTt;
                var atr = steps * (2 * bankSize * keyWidth + 2 * a.Tape.CandidatesPerStep * d);
                var tapeMlp = a.Tape.TtMlpDim > 0 ? tapeTokens * GluFlops(d, a.Tape.TtMlpDim) : 0;              // in ENCODE, at the tape's length
                var before = a.Tape.AddTapeAtLayer * Block(n, 0, e, 0);
                var after = BlocksAfterTape(a, n, tapeTokens);
                return new CostBreakdown(embed, BankFlops(a.Bank, task, d), atr, tapeMlp, before + after, 0, head);
            }
            case TransformerModelSpec:
            {
                var (tokens, embed) = TokenInput(e, task);
                return new CostBreakdown(embed, 0, 0, 0, e.Depth * Block(tokens + cls, 0, e, 0), 0, head);
            }
            case UniversalTransformerModelSpec ut:
            {
                var (tokens, embed) = TokenInput(e, task);
                var steps = utSteps ?? ut.Act.MaxSteps;
                var n = tokens + cls;
                return new CostBreakdown(embed, 0, 0, 0, steps * Block(n, 0, e, 0), steps * 2 * d * n, head);
            }
            case AvitModelSpec:
            {
                var (tokens, embed) = TokenInput(e, task);
                var depths = tokenDepths ?? Enumerable.Repeat(e.Depth, TokenCount(e, task)).ToArray();
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
        var n = AdaTapeInput(model, task).Tokens + (model.Encoder.Classifier == Classifier.Token ? 1 : 0);
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

    /// <summary>Tokens a baseline's encoder processes per sample (CLS included): one per parity element or image patch.</summary>
    [Pure]
    public static int TokenCount(EncoderSpec e, TaskSpec task) => (int)TokenInput(e, task).Tokens + (e.Classifier == Classifier.Token ? 1 : 0);

    /// <summary>GLU MLP Dense(D, 2H) then Dense(H, D), per token.</summary>
    [Pure]
    public static long GluFlops(long d, long hidden) => 2 * d * 2 * hidden + 2 * hidden * d;

    /// <summary>AdaTape's main input: the whole parity sequence as one token (Dense over 3L), or image patches.</summary>
    private static (long Tokens, long Flops) AdaTapeInput(AdaTapeModelSpec a, TaskSpec task) => task switch
    {
        ParityTaskSpec p => (1, 2L * 3 * p.SeqLen * a.Encoder.Width),
        _ => TokenInput(a.Encoder, task),
    };

    /// <summary>Baselines' input: one token per parity element (Dense over its one-hot) or per image patch.</summary>
    private static (long Tokens, long Flops) TokenInput(EncoderSpec e, TaskSpec task) => task switch
    {
        ParityTaskSpec p => (p.SeqLen, 2L * 3 * e.Width * p.SeqLen),
        FashionMnistTaskSpec => Patches(e.PatchSize, e.Width),
        _ => throw new ArgumentOutOfRangeException(nameof(task), task, "unknown task kind"),
    };

    private static (long Tokens, long Flops) Patches(int patch, long width)
    {
        long tokens = (FashionMnistTaskSpec.ImageSize / patch) * (FashionMnistTaskSpec.ImageSize / patch);
        return (tokens, 2 * tokens * patch * patch * width);
    }

    /// <summary>Entries a sample's bank holds.</summary>
    [Pure]
    public static long BankSize(BankSpec bank, TaskSpec task) => (bank, task) switch
    {
        (LearnableBankSpec l, _) => l.Size,
        (SequenceInputBankSpec, ParityTaskSpec p) => p.SeqLen,
        (ImageInputBankSpec i, _) => Patches(i.PatchSize, 1).Tokens,
        _ => throw new ArgumentOutOfRangeException(nameof(bank), bank, "bank kind does not fit the task"),
    };

    /// <summary>Building an input-driven bank: Dense over each one-hot element, or a patch conv + Dense(D).</summary>
    private static long BankFlops(BankSpec bank, TaskSpec task, long d) => (bank, task) switch
    {
        (LearnableBankSpec, _) => 0,
        (SequenceInputBankSpec, ParityTaskSpec p) => 2L * 3 * d * p.SeqLen,
        (ImageInputBankSpec i, _) => Patches(i.PatchSize, d).Flops + 2 * BankSize(bank, task) * d * d,
        _ => 0,
    };
}
