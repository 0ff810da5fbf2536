using AdaTapeDml.Backends.TorchSharp.Models;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Core.Tasks;
using static TorchSharp.torch;

namespace AdaTapeDml.Properties.Backends;

/// <summary>With valid-only pooling a sample's logits depend on nothing but the sample: not on its batch-mates, not on
/// how many padded tape slots it was computed with. This is what makes elastic (per-length) inference exact.</summary>
public sealed class AdaTapeModel_Elasticity
{
    private static (AdaTapeModel Model, Tensor Input) Build(BankSpec bank, int batch, int seed)
    {
        random.manual_seed(seed);
        var spec = new AdaTapeModelSpec(TinySpecs.Encoder with { Depth = 3 }, new TapeSpec(NumTapeTokens: 6, ActEpsilon: 1.5, SplitTt: 2, TtMlpDim: 16, EncTtMlpDim: 8), bank);
        var model = InformativeInit.Apply(new AdaTapeModel(spec, new ParityTaskSpec(10)));
        model.eval();
        var generator = new ParityGenerator(10, 0, seed);
        return (model, tensor(generator.TrainBatch(0, batch).OneHot, [batch, 10, 3]));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Logits_with_exact_tape_length_equal_logits_with_all_slots_masked(bool learnable)
    {
        using var scope = NewDisposeScope();
        var (model, input) = Build(learnable ? new LearnableBankSpec(20) : new SequenceInputBankSpec(), 32, 5);
        using var _ = no_grad();
        var read = model.Read(input);
        var padded = model.Encode(read.Hidden, read.Tape, read.Lengths);                                 // all T slots, masked
        for (var b = 0; b < 32; b++)
        {
            var length = read.Lengths[b].item<long>();
            var alone = model.Encode(read.Hidden[b..(b + 1)], read.Tape[b..(b + 1), ..(int)length], read.Lengths[b..(b + 1)]);
            Assert.True(alone.allclose(padded[b..(b + 1)], rtol: 0, atol: 1e-5), $"sample {b} (length {length}) differs");
        }
        Assert.True(read.Lengths.to(ScalarType.Float32).std().item<float>() > 0, "every sample read the same tape length: the check would miss masking bugs");
    }

    [Fact]
    public void A_sample_gets_the_same_tape_and_logits_alone_and_in_a_permuted_batch()
    {
        using var scope = NewDisposeScope();
        var (model, input) = Build(new LearnableBankSpec(20), 9, 8);
        using var _ = no_grad();
        var batch = model.forward(input);
        var permutation = tensor(new long[] { 4, 0, 8, 2, 7, 1, 6, 3, 5 });
        var permuted = model.forward(input.index_select(0, permutation));
        Assert.True(permuted.Logits.allclose(batch.Logits.index_select(0, permutation), rtol: 0, atol: 1e-5));
        Assert.True(permuted.TapeLengths!.eq(batch.TapeLengths!.index_select(0, permutation)).all().item<bool>());
        for (var b = 0; b < 9; b++)
        {
            var alone = model.forward(input[b..(b + 1)]);
            Assert.True(alone.Logits.allclose(batch.Logits[b..(b + 1)], rtol: 0, atol: 1e-5), $"sample {b}");
            Assert.Equal(batch.TapeLengths![b].item<long>(), alone.TapeLengths![0].item<long>());
        }
    }

    [Fact]
    public void Training_loss_sends_gradients_into_query_path_bank_and_tape_mlp()
    {
        using var scope = NewDisposeScope();
        var (model, input) = Build(new LearnableBankSpec(20), 8, 2);
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
