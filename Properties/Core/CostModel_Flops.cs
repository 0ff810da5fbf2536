using AdaTapeDml.Core.Cost;
using AdaTapeDml.Core.Specs;

namespace AdaTapeDml.Properties.Core;

/// <summary>Forward FLOPs per sample (a multiply-add = 2 FLOPs), checked against hand counts on tiny specs.</summary>
public sealed class CostModel_Flops
{
    // D = 8, 2 blocks, 2 heads, MLP 16, 'gap' pooling; parity of length L = 4 (2 classes).
    private static readonly EncoderSpec Tiny = new(Width: 8, Depth: 2, Heads: 2, MlpDim: 16);
    private static readonly ParityTaskSpec Parity4 = new(SeqLen: 4, EvalExamples: 10);

    // T = 4, m = 1, tau = 2 -> k = 2; dk = 8 / 2 = 4; tape GLU hidden 8; tape joins before block 1; sequence bank (4 entries).
    private static readonly AdaTapeModelSpec TinyAdaTape = new(Tiny,
        new TapeSpec(NumTapeTokens: 4, TokensPerStep: 1, ActEpsilon: 2, SplitTt: 2, TtMlpDim: 8, EncTtMlpDim: 0, AddTapeAtLayer: 1),
        new SequenceInputBankSpec());

    [Fact]
    public void Tiny_adatape_on_parity_with_a_tape_of_three()
    {
        var cost = CostModel.Forward(TinyAdaTape, Parity4, tapeTokens: 3);

        // embedding: the whole sequence as one token, Dense(3L -> D)        2 · 12 · 8                         =  192
        // bank:      Dense(3 -> D) per element                               2 · 3 · 8 · 4                      =  192
        // ATR:       3 steps · (scores 2 · N · dk + merge 2 · k · D)         3 · (2·4·4 + 2·2·8) = 3 · 64        =  192
        // tape MLP:  3 tokens · GLU (2 · D · 2H + 2 · H · D)                 3 · (256 + 128)                    = 1152
        // block 0 over n = 1 token:  QKV+out 8·1·D² + attn 4·1²·D + FFN 4·1·D·MLP   = 512 + 32 + 512           = 1056
        // block 1 over 1 + 3 tokens: 8·4·64 + 4·16·8 + 4·4·8·16                    = 2048 + 512 + 2048        = 4608
        // head:      Dense(D -> 2)                                           2 · 8 · 2                          =   32
        Assert.Equal(new CostBreakdown(Embedding: 192, Bank: 192, Atr: 192, TapeMlp: 1152, Blocks: 1056 + 4608, Halting: 0, Head: 32), cost);
        Assert.Equal(7424, cost.Total);
    }

    [Fact]
    public void Encode_is_the_tape_mlp_the_blocks_from_the_tape_layer_on_and_the_head()
    {
        Assert.Equal(1152 + 4608 + 32, CostModel.EncodeFlops(TinyAdaTape, Parity4, tapeTokens: 3));   // tape MLP, block 1 over 1 + 3 tokens, head (hand count above)
        Assert.True(CostModel.EncodeFlops(TinyAdaTape, Parity4, 4) > CostModel.EncodeFlops(TinyAdaTape, Parity4, 3));
    }

    [Fact]
    public void Tiny_transformer_on_parity()
    {
        var cost = CostModel.Forward(new TransformerModelSpec(Tiny), Parity4);

        // embedding: one token per element, Dense(3 -> D)      2 · 3 · 8 · 4            =  192
        // 2 blocks over n = 4 tokens: 2 · (8·4·64 + 4·16·8 + 4·4·8·16) = 2 · 4608     = 9216
        // head                                                  2 · 8 · 2                =   32
        Assert.Equal(new CostBreakdown(192, 0, 0, 0, 9216, 0, 32), cost);
        Assert.Equal(9440, cost.Total);
    }

    [Fact]
    public void A_cls_token_adds_one_token_to_every_block()
    {
        var cost = CostModel.Forward(new TransformerModelSpec(Tiny with { Classifier = Classifier.Token }), Parity4);

        // 2 blocks over n = 5: 2 · (8·5·64 + 4·25·8 + 4·5·8·16) = 2 · (2560 + 800 + 2560) = 11840
        Assert.Equal(192 + 11840 + 32, cost.Total);
    }

    [Fact]
    public void Adatape_flops_strictly_increase_with_tape_length()
    {
        foreach (var model in new[] { TinyAdaTape, TinyAdaTape with { Tape = TinyAdaTape.Tape with { NumTapeTokens = 6, TokensPerStep = 2 } }, new AdaTapeModelSpec() })
        {
            var totals = Enumerable.Range(0, model.Tape.NumTapeTokens + 1).Select(t => CostModel.Forward(model, Parity4 with { SeqLen = 16 }, t).Total).ToArray();
            for (var t = 1; t < totals.Length; t++)
                Assert.True(totals[t] > totals[t - 1], $"{model.Tape}: FLOPs({t}) = {totals[t]} <= FLOPs({t - 1}) = {totals[t - 1]}");
        }
    }

    [Fact]
    public void Adatape_without_a_tape_costs_only_the_stem_and_the_blocks()
    {
        var cost = CostModel.Forward(TinyAdaTape, Parity4, tapeTokens: 0);

        // no steps, no tape MLP; both blocks over the single input token: 2 · 1056
        Assert.Equal(new CostBreakdown(192, 192, 0, 0, 2 * 1056, 0, 32), cost);
    }

    [Fact]
    public void Universal_transformer_flops_scale_linearly_with_steps()
    {
        var ut = new UniversalTransformerModelSpec(Tiny, new ActHaltingSpec(MaxSteps: 12));

        // per step: one shared block over 4 tokens (4608) + the halting unit Dense(D -> 1) per token (2 · 8 · 4 = 64)
        // fixed:    embedding 192 + head 32
        for (var steps = 1; steps <= 12; steps++)
        {
            var cost = CostModel.Forward(ut, Parity4, utSteps: steps);
            Assert.Equal(steps * 4608L, cost.Blocks);
            Assert.Equal(steps * 64L, cost.Halting);
            Assert.Equal(224 + steps * 4672L, cost.Total);
        }
        Assert.Equal(CostModel.Forward(ut, Parity4, utSteps: 12), CostModel.Forward(ut, Parity4));   // default: all steps
    }

    [Fact]
    public void Image_models_count_patches()
    {
        var fashion = new FashionMnistTaskSpec();
        var cost = CostModel.Forward(new TransformerModelSpec(Tiny with { PatchSize = 7 }), fashion);

        // 28 / 7 = 4 -> 16 patches; embedding 2 · 16 · 49 · 8 = 12544; 2 blocks over 16 tokens:
        // 2 · (8·16·64 + 4·256·8 + 4·16·8·16) = 2 · (8192 + 8192 + 8192) = 49152; head 2 · 8 · 10 = 160
        Assert.Equal(new CostBreakdown(12544, 0, 0, 0, 49152, 0, 160), cost);
    }

    [Fact]
    public void Block_and_glu_formulas()
    {
        Assert.Equal(8 * 3 * 64 + 4 * 9 * 8 + 3 * 4 * 8 * 16, CostModel.Block(3, 0, Tiny, 0));
        // tape tokens with their own GLU FFN (hidden 5): n = 1 uses the GELU FFN, t = 2 the GLU
        Assert.Equal(8 * 3 * 64 + 4 * 9 * 8 + 1 * 4 * 8 * 16 + 2 * (2 * 8 * 10 + 2 * 5 * 8), CostModel.Block(1, 2, Tiny, 5));
        Assert.Equal(2 * 8 * 2 * 8 + 2 * 8 * 8, CostModel.GluFlops(8, 8));
        Assert.Equal(16, AdaTapeDml.Core.Layout.ModelLayout.BankSizeOf(new LearnableBankSpec(16), Parity4));
        Assert.Equal(4, AdaTapeDml.Core.Layout.ModelLayout.BankSizeOf(new SequenceInputBankSpec(), Parity4));
        Assert.Equal(196, AdaTapeDml.Core.Layout.ModelLayout.BankSizeOf(new ImageInputBankSpec(2), new FashionMnistTaskSpec()));
    }
}
