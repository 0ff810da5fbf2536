using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Cost;
using AdaTapeDml.Core.Specs;

namespace AdaTapeDml.Properties.Core;

/// <summary>A-ViT's FLOPs come from its token depths: at full depth it costs what the ViT of the same encoder costs; each
/// layer costs the tokens still active there; and the per-sample costs of a run follow each sample's own statistic.</summary>
public sealed class CostModel_TokenDepths
{
    private static readonly EncoderSpec Tiny = new(Width: 8, Depth: 3, Heads: 2, MlpDim: 16, Classifier: Classifier.Token, PatchSize: 7);
    private static readonly FashionMnistTaskSpec Images = new();
    private static readonly AvitModelSpec Avit = new(Tiny, new TokenHaltingSpec(PriorTargetDepth: 1));

    [Fact]
    public void At_full_depth_avit_costs_what_the_vit_of_its_encoder_costs()
    {
        Assert.Equal(17, CostModel.TokenCount(Avit, Images));                                      // 4x4 patches + CLS
        Assert.Equal(CostModel.Forward(new TransformerModelSpec(Tiny), Images), CostModel.Forward(Avit, Images));
        Assert.Equal(CostModel.Forward(Avit, Images), CostModel.Forward(Avit, Images, tokenDepths: Enumerable.Repeat(3, 17).ToArray()));
    }

    [Fact]
    public void Each_layer_costs_the_tokens_still_active_there()
    {
        int[] depths = [3, 3, 2, .. Enumerable.Repeat(1, 14)];                                     // layer 0: 17 tokens, layer 1: 3, layer 2: 2
        var cost = CostModel.Forward(Avit, Images, tokenDepths: depths);
        Assert.Equal(CostModel.Block(17, 0, Tiny, 0) + CostModel.Block(3, 0, Tiny, 0) + CostModel.Block(2, 0, Tiny, 0), cost.Blocks);
        Assert.True(cost.Total < CostModel.Forward(Avit, Images).Total);
    }

    [Fact]
    public void Per_sample_costs_follow_each_samples_statistic()
    {
        var shallow = Enumerable.Repeat(1, 17).ToArray();
        var full = Enumerable.Repeat(3, 17).ToArray();
        var avit = CostModel.PerSample(Avit, Images, new TokenDepthCompute(17, [.. shallow, .. full]));
        Assert.Equal([CostModel.Forward(Avit, Images, tokenDepths: shallow).Total, CostModel.Forward(Avit, Images).Total], avit);

        var ut = new UniversalTransformerModelSpec(Tiny, new ActHaltingSpec(MaxSteps: 4));
        Assert.Equal(new[] { 1, 4, 2 }.Select(s => CostModel.Forward(ut, Images, utSteps: s).Total), CostModel.PerSample(ut, Images, new HaltingStepsCompute([1, 4, 2])));

        var adaTape = new AdaTapeModelSpec(Tiny, new TapeSpec(NumTapeTokens: 4, ActEpsilon: 2, SplitTt: 2), new ImageInputBankSpec(7));
        Assert.Equal(new[] { 0, 3 }.Select(t => CostModel.Forward(adaTape, Images, t).Total), CostModel.PerSample(adaTape, Images, new TapeCompute([0, 3])));

        var vit = new TransformerModelSpec(Tiny);
        Assert.Equal([CostModel.Forward(vit, Images).Total, CostModel.Forward(vit, Images).Total], CostModel.PerSample(vit, Images, new FixedCompute(2)));
    }

    [Fact]
    public void Statistic_is_the_mean_token_depth_for_avit()
    {
        var compute = new TokenDepthCompute(2, [1, 3, 2, 2]);
        Assert.Equal(2, compute.Count);
        Assert.Equal([2.0, 2.0], [compute.Statistic(0), compute.Statistic(1)]);
        Assert.Equal([0, 0], compute.TapeLengths);
    }
}
