using AdaTapeDml.Backends.TorchSharp.Models;
using AdaTapeDml.Backends.TorchSharp.Training;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Properties.Backends;

namespace AdaTapeDml.Properties.Pipelines;

/// <summary>Random-init models saved as weight files, as inference sessions load them: seeded, written once per test run.
/// The AdaTape one reads tapes of varied length (tau 1.5 over T = 6 with a learnable bank of 20 entries, sharpened scores).</summary>
public static class SavedTinyModels
{
    public static readonly RunSpec AdaTapeSpec = TinySpecs.AdaTapeParity(seqLen: 10) with
    {
        Name = "tiny-elastic",
        Model = new AdaTapeModelSpec(TinySpecs.Encoder with { Depth = 3 },
            new TapeSpec(NumTapeTokens: 6, ActEpsilon: 1.5, SplitTt: 2, TtMlpDim: 16, EncTtMlpDim: 8), new LearnableBankSpec(20)),
    };

    /// <summary>An AdaTape ViT on 28x28 images (patches of 7, a learnable bank).</summary>
    public static readonly RunSpec ImageSpec = AdaTapeSpec with
    {
        Name = "tiny-images",
        Model = new AdaTapeModelSpec(TinySpecs.Encoder with { PatchSize = 7 },
            new TapeSpec(NumTapeTokens: 6, ActEpsilon: 1.5, SplitTt: 2, TtMlpDim: 16), new LearnableBankSpec(24)),
        Task = new FashionMnistTaskSpec(),
    };

    /// <summary><see cref="ImageSpec"/> with an input-driven image bank: fine patches of 4 pixels, a 7 x 7 grid.</summary>
    public static readonly RunSpec ImageBankSpec = ImageSpec with
    {
        Name = "tiny-image-bank",
        Model = (AdaTapeModelSpec)ImageSpec.Model with { Bank = new ImageInputBankSpec(PatchSize: 4) },
    };

    private static readonly Lazy<string> adaTape = new(() => Save(AdaTapeSpec, seed: 5));
    private static readonly Lazy<string> images = new(() => Save(ImageSpec, seed: 6));
    private static readonly Lazy<string> imageBank = new(() => Save(ImageBankSpec, seed: 7));

    /// <summary>The weight file of <see cref="ImageSpec"/>.</summary>
    public static string Images => images.Value;

    /// <summary>The weight file of <see cref="ImageBankSpec"/>.</summary>
    public static string ImageBank => imageBank.Value;

    /// <summary>The weight file of <see cref="AdaTapeSpec"/>.</summary>
    public static string AdaTape => adaTape.Value;

    private static string Save(RunSpec spec, int seed)
    {
        TorchSharp.torch.random.manual_seed(seed);
        using var model = InformativeInit.Apply(ModelFactory.Create(spec.Model, spec.Task));
        var path = Path.Combine(Directory.CreateTempSubdirectory("adatape-tiny-").FullName, "model.safetensors");
        File.WriteAllBytes(path, TorchCheckpoint.Encode(model, null, spec, 0, new Dictionary<string, string>()));
        return path;
    }
}
