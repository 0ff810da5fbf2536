using AdaTapeDml.Backends.TorchSharp.Models;
using AdaTapeDml.Core.Specs;
using static TorchSharp.torch;

namespace AdaTapeDml.Properties.Backends;

/// <summary>AdaTape ViT on 28x28 images with each bank kind: shapes, exact elastic encoding and a learning signal.</summary>
public sealed class AdaTapeModel_Images
{
    public static TheoryData<string> Banks => ["learnable", "imageInput"];

    private static AdaTapeModel Build(string bank, Classifier classifier)
    {
        random.manual_seed(11);
        BankSpec bankSpec = bank == "learnable" ? new LearnableBankSpec(24) : new ImageInputBankSpec(PatchSize: 4);
        var spec = new AdaTapeModelSpec(new EncoderSpec(Width: 16, Depth: 2, Heads: 2, MlpDim: 32, Classifier: classifier, PatchSize: 7),
            new TapeSpec(NumTapeTokens: 6, ActEpsilon: 1.5, SplitTt: 2, TtMlpDim: 16), bankSpec);
        return InformativeInit.Apply(new AdaTapeModel(spec, new FashionMnistTaskSpec()));
    }

    [Theory]
    [MemberData(nameof(Banks))]
    public void Logits_have_ten_classes_and_do_not_depend_on_padding(string bank)
    {
        using var scope = NewDisposeScope();
        var model = Build(bank, Classifier.Gap);
        model.eval();
        using var _ = no_grad();
        var images = rand(5, 1, 28, 28);
        var read = model.Read(images);
        Assert.Equal(new long[] { 5, 16, 16 }, read.Hidden.shape);                                 // (28 / 7)^2 = 16 patches
        var padded = model.Encode(read.Hidden, functional_pad(read.Tape, 6), read.Lengths);
        Assert.Equal(new long[] { 5, 10 }, padded.shape);
        for (var b = 0; b < 5; b++)
        {
            var length = (int)read.Lengths[b].item<long>();
            var exact = model.Encode(read.Hidden[b..(b + 1)], read.Tape[b..(b + 1), ..length], read.Lengths[b..(b + 1)]);
            Assert.True(exact.allclose(padded[b..(b + 1)], rtol: 0, atol: 1e-5), $"sample {b}");
        }
    }

    [Theory]
    [MemberData(nameof(Banks))]
    public void A_few_steps_fit_a_fixed_batch(string bank)
    {
        using var scope = NewDisposeScope();
        var model = Build(bank, Classifier.Token);
        var images = rand(16, 1, 28, 28);
        var labels = arange(16) % 10;
        var optimizer = optim.Adam(model.parameters(), 3e-3);
        float Loss() => nn.functional.cross_entropy(model.forward(images).Logits, labels).item<float>();
        model.train();
        var before = Loss();
        for (var i = 0; i < 100; i++)
        {
            optimizer.zero_grad();
            nn.functional.cross_entropy(model.forward(images).Logits, labels).backward();
            optimizer.step();
        }
        var after = Loss();
        Assert.True(after < 0.5 * before, $"loss {before} -> {after} did not halve");
    }

    /// <summary>Zero-pads the slot dimension of [B, L, D] to <paramref name="slots"/>.</summary>
    private static Tensor functional_pad(Tensor tape, int slots) => nn.functional.pad(tape, [0, 0, 0, slots - tape.shape[1]]);
}
