using AdaTapeDml.Backends.TorchSharp.Models;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Core.Tasks;
using static TorchSharp.torch;

namespace AdaTapeDml.Properties.Backends;

/// <summary>AdaTape's parameters: training reaches every part of the model, and the learnable bank starts as the reference
/// initialises it. (That a sample's logits depend neither on its batch-mates nor on padding is a halting property: see
/// Halting/Halting_BatchIndependence_Logits and Halting/Halting_PaddingIndependence.)</summary>
public sealed class AdaTapeModel_Parameters
{
    private static (AdaTapeModel Model, Tensor Input) Build(BankSpec bank, int batch, int seed)
    {
        random.manual_seed(seed);
        var spec = new AdaTapeModelSpec(TinySpecs.Encoder with { Depth = 3 }, new TapeSpec(NumTapeTokens: 6, ActEpsilon: 1.5, SplitTt: 2, TtMlpDim: 16, EncTtMlpDim: 8), bank);
        var model = new AdaTapeModel(spec, new ParityTaskSpec(10));
        model.eval();
        var generator = new ParityGenerator(10, 0, seed);
        return (model, tensor(generator.TrainBatch(0, batch).OneHot, [batch, 10, 3]));
    }

    [Fact]
    public void Training_loss_sends_gradients_into_query_path_bank_and_tape_mlp()
    {
        using var scope = NewDisposeScope();
        var (model, input) = Build(new LearnableBankSpec(20), 8, 2);
        using (no_grad()) model.named_parameters().Single(p => p.name == "head.output_projection.weight").parameter.normal_(0, 0.1); // the head starts at zero, which would block all gradients
        model.train();
        var output = model.forward(input);
        (nn.functional.cross_entropy(output.Logits, randint(0, 2, 8)) + output.AuxLoss.mean()).backward();
        var grads = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad?.abs().sum().item<float>() ?? 0);
        Assert.True(grads["bank.tape_tokens"] > 0, "no gradient into the bank");
        Assert.True(grads["tt_mlp.fc1.weight"] > 0, "no gradient into the tape MLP");
        Assert.True(grads["bank_norm.weight"] > 0, "no gradient into the shared bank/query norm");
        Assert.True(grads["embedding.embedding.weight"] > 0, "no gradient into the query path (embedding)");
    }

    [Fact]
    public void A_learnable_bank_starts_as_a_truncated_normal_with_distinct_entries()
    {
        using var scope = NewDisposeScope();
        var (model, _) = Build(new LearnableBankSpec(200), 1, 1);
        var bank = model.named_parameters().Single(p => p.name == "bank.tape_tokens").parameter;
        Assert.True(bank.abs().max().item<float>() <= 0.04f + 1e-7f, "values beyond 2 std");
        Assert.InRange(bank.std().item<float>(), 0.015f, 0.02f);                       // 0.02 shrunk by the cut: ~0.0176
        Assert.True(bank.std(1).min().item<float>() > 0.005f, "a bank row is constant, so its LayerNorm is zero");
    }
}
