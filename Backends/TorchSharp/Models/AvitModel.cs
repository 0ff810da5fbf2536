using AdaTapeDml.Core.Layout;
using AdaTapeDml.Backends.TorchSharp.Interop;
using AdaTapeDml.Backends.TorchSharp.Modules;
using AdaTapeDml.Core.Halting;
using AdaTapeDml.Core.Specs;
using TorchSharp.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace AdaTapeDml.Backends.TorchSharp.Models;

/// <summary>A-ViT (Yin et al. 2022): a ViT in which every token halts at its own depth. Masked dense execution, as the
/// reference code: every layer runs over all tokens, halted tokens are zeroed and hidden as attention keys, and the
/// output is the halting-weighted sum of each token's states; the class token of that sum is classified. The halting
/// score reads embedding channel 0, so no parameters are added to the ViT.</summary>
public sealed class AvitModel : ClassifierModel
{
    /// <summary>Key logit of a halted token. Finite, so a sample whose tokens have all halted gives uniform (unused)
    /// attention instead of NaN, which would leak into the output through 0 * NaN.</summary>
    public const float HaltedKeyBias = -1e9f;                                                    // KeptScalars.MinusBillion

    private readonly InputEmbedding embedding;
    private readonly ModuleList<EncoderBlock> blocks;
    private readonly ClassifierHead head;
    private readonly AvitModelSpec spec;
    private readonly float[] prior;

    public AvitModel(AvitModelSpec spec, TaskSpec task) : base(nameof(AvitModel))
    {
        this.spec = spec;
        var e = spec.Encoder;
        embedding = new InputEmbedding(ModelLayout.KindOf(spec, task), e, task);
        blocks = nn.ModuleList(Enumerable.Range(0, e.Depth).Select(_ => new EncoderBlock(e.Width, e.Heads, e.MlpDim, e.Dropout, 0)).ToArray());
        head = new ClassifierHead(e.Width, task.NumClasses, Classifier.Token);
        RegisterComponents();
        prior = HaltingPrior.Target(e.Depth, spec.Halting).Select(p => (float)p).ToArray();           // not a weight: derived from the spec
    }

    /// <summary>The aux loss already carries ponderScale and priorWeight.</summary>
    public override double AuxLossWeight => 1;

    /// <summary>Tokens embedded per sample (CLS included) and the encoder blocks, for reference computations in tests.</summary>
    public Tensor Embed(Tensor input) => embedding.forward(input);
    public EncoderBlock Block(int layer) => blocks[layer];
    public Tensor Classify(Tensor output) => head.forward(output, null);

    public override ModelOutput forward(Tensor input) => Forward(input, null);

    /// <param name="input">Images [B, 1, 28, 28] or parity one-hot [B, L, 3].</param>
    /// <param name="trace">When given, receives the state after every layer.</param>
    public ModelOutput Forward(Tensor input, List<AvitLayerTrace>? trace)
    {
        var halting = spec.Halting;
        using var gateScale = halting.GateScale.ToScalar();                                       // kept alive across the native calls
        using var gateCenter = halting.GateCenter.ToScalar();
        using var threshold = (1 - halting.Eps).ToScalar();
        using var ponderScale = halting.PonderScale.ToScalar();
        using var priorWeight = halting.PriorWeight.ToScalar();
        var x = embedding.forward(input);                                                          // [B, N, D]
        var (b, n, depth) = (x.shape[0], x.shape[1], spec.Encoder.Depth);
        var c = zeros(b, n, device: x.device);                                                     // cumulative halting score
        var remainder = ones(b, n, device: x.device);                                              // R
        var active = ones(b, n, device: x.device);                                                 // 1 while a token runs
        var rho = zeros(b, n, device: x.device);                                                   // ponder
        var depths = zeros(b, n, dtype: ScalarType.Int64, device: x.device);
        var output = zeros_like(x);
        var scoreMeans = new List<Tensor>();
        for (var l = 0; l < depth; l++)
        {
            x = x * active.unsqueeze(-1);                                                          // halted tokens are zeroed
            var keyBias = active.OneMinus().mul(KeptScalars.MinusBillion).view(b, 1, 1, n);       // and hidden as keys
            var y = blocks[l].forward(x, keyBias, 0);                                              // [B, N, D]
            var score = sigmoid(y[.., .., 0].mul(gateScale).sub(gateCenter));                      // [B, N]
            scoreMeans.Add(score.mean());
            var h = l == depth - 1 ? ones_like(score) : score;                                     // every token halts by the last layer
            c = c.Plus(h);
            rho = rho.Plus(active);
            depths = depths.Plus(active.to(ScalarType.Int64));
            var halts = active * c.gt(threshold).to(c.dtype);                                      // tokens that halt at this layer
            output = output.Plus(y * (remainder * halts).unsqueeze(-1));                           // they contribute their remainder
            rho = rho.Plus(remainder * halts);
            var still = c.lt(threshold).to(c.dtype);
            remainder = remainder - still * h;
            output = output.Plus(y * (h * still).unsqueeze(-1));                                   // running tokens contribute h
            active = still;
            x = y;
            trace?.Add(new AvitLayerTrace(output, c));
        }
        var aux = rho.mean([1]).mul(ponderScale).Plus(PriorKl(stack(scoreMeans)).mul(priorWeight)); // [B]
        return new ModelOutput(head.forward(output, null), aux, TokenDepths: depths);
    }

    /// <summary>KL(prior || halting distribution): the mean score per layer, normalised over layers and clamped.</summary>
    private Tensor PriorKl(Tensor scoreMeans)
    {
        using var low = HaltingPrior.ClampLow.ToScalar();
        using var high = HaltingPrior.ClampHigh.ToScalar();
        var distribution = (scoreMeans / scoreMeans.sum()).clamp(low, high);
        var target = tensor(prior, device: distribution.device);
        return (target * (target.log() - distribution.log())).sum();
    }
}
