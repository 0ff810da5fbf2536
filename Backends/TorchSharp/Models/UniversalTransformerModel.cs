using AdaTapeDml.Core.Layout;
using AdaTapeDml.Backends.TorchSharp.Modules;
using AdaTapeDml.Core.Specs;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AdaTapeDml.Backends.TorchSharp.Models;

/// <summary>Universal Transformer with ACT (Graves 2016; Dehghani et al. 2019): one block shared across depth, applied
/// until every position's halting probability passes the threshold or maxSteps is reached. Each position has its own
/// halting unit output, remainder and update count; the ponder cost is the mean of updates + remainders.</summary>
public sealed class UniversalTransformerModel : ClassifierModel
{
    private readonly InputEmbedding embedding;
    private readonly Parameter step_embedding;
    private readonly EncoderBlock block;
    private readonly Linear halting;
    private readonly ClassifierHead head;
    private readonly ActHaltingSpec act;

    public UniversalTransformerModel(UniversalTransformerModelSpec spec, TaskSpec task) : base(nameof(UniversalTransformerModel))
    {
        var e = spec.Encoder;
        act = spec.Act;
        embedding = new InputEmbedding(ModelLayout.KindOf(spec, task), e, task);
        step_embedding = Init.Normal(act.MaxSteps, e.Width);
        block = new EncoderBlock(e.Width, e.Heads, e.MlpDim, e.Dropout, 0);
        halting = nn.Linear(e.Width, 1);
        using (no_grad())
        using (var bias = act.HaltingBiasInit.ToScalar())
            halting.bias!.fill_(bias);
        head = new ClassifierHead(e.Width, task.NumClasses, e.Classifier);
        RegisterComponents();
    }

    public override double AuxLossWeight => act.PonderWeight;

    public override ModelOutput forward(Tensor input)
    {
        var state = embedding.forward(input);                                                      // [B, n, D]
        var shape = new[] { state.shape[0], state.shape[1] };
        var haltingProbability = zeros(shape, device: state.device);                               // [B, n]
        var remainders = zeros(shape, device: state.device);
        var updates = zeros(shape, device: state.device);
        var output = zeros_like(state);
        using var threshold = act.Threshold.ToScalar();
        var steps = 0;
        var sampleSteps = zeros(shape[0], dtype: ScalarType.Int64, device: state.device);            // [B]
        while (steps < act.MaxSteps && haltingProbability.lt(threshold).any().item<bool>())
        {
            sampleSteps = sampleSteps.Plus(haltingProbability.lt(threshold).any(1).to(ScalarType.Int64)); // the steps it would run alone
            state = state.Plus(step_embedding[steps]);                                              // timing signal
            var p = sigmoid(halting.forward(state)).squeeze(-1);                                    // [B, n]
            var running = haltingProbability.lt(KeptScalars.One).to(p.dtype);
            var reached = haltingProbability.Plus(p * running);
            var newHalted = reached.gt(threshold).to(p.dtype) * running;
            running = reached.le(threshold).to(p.dtype) * running;
            haltingProbability = haltingProbability.Plus(p * running);
            remainders = remainders.Plus(newHalted * haltingProbability.OneMinus());
            haltingProbability = haltingProbability.Plus(newHalted * remainders);
            updates = updates.Plus(running).Plus(newHalted);
            var updateWeights = (p * running).Plus(newHalted * remainders).unsqueeze(-1);          // [B, n, 1]
            state = block.forward(state, null, 0);
            output = (state * updateWeights).Plus(output * updateWeights.OneMinus());               // ACT-weighted mean of states
            steps++;
        }
        var ponder = updates.Plus(remainders).mean([1]);                                            // [B]
        return new ModelOutput(head.forward(output, null), ponder, Steps: steps, SampleSteps: sampleSteps);
    }
}
