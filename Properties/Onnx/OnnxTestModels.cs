using AdaTapeDml.Backends.TorchSharp.Models;
using AdaTapeDml.Backends.TorchSharp.Training;
using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Core.Tasks;
using AdaTapeDml.Properties.Backends;
using static TorchSharp.torch;

namespace AdaTapeDml.Properties.Onnx;

/// <summary>Small seeded models of every kind, saved as weight files both backends load, and inputs for them.</summary>
public static class OnnxTestModels
{
    private static readonly TapeSpec Tape = new(NumTapeTokens: 4, ActEpsilon: 2.0, SplitTt: 2, TtMlpDim: 16);
    private static readonly ParityTaskSpec Parity = new(6, EvalExamples: 50);
    private static readonly FashionMnistTaskSpec Images = new();
    private static readonly EncoderSpec ImageEncoder = TinySpecs.Encoder with { PatchSize = 7 };

    /// <summary>Gate centre 0: with the random weights' channel 0 of about +-1, tokens halt at every depth.</summary>
    public static readonly TokenHaltingSpec AvitHalting = new(GateScale: 2, GateCenter: 0, PriorTargetDepth: 1);

    /// <summary>Every model kind and bank kind the compiler handles, by a readable name.</summary>
    public static readonly IReadOnlyDictionary<string, RunSpec> Specs = new Dictionary<string, RunSpec>
    {
        ["adatape-learnable"] = Spec(new AdaTapeModelSpec(TinySpecs.Encoder, Tape, new LearnableBankSpec(20)), Parity),
        ["adatape-learnable-m2-token-tapeffn"] = Spec(new AdaTapeModelSpec(TinySpecs.Encoder with { Depth = 3, Classifier = Classifier.Token },
            new TapeSpec(NumTapeTokens: 6, TokensPerStep: 2, ActEpsilon: 1.5, SplitTt: 2, TtMlpDim: 16, EncTtMlpDim: 8), new LearnableBankSpec(12)), Parity),
        ["adatape-sequence"] = Spec(new AdaTapeModelSpec(TinySpecs.Encoder, new TapeSpec(NumTapeTokens: 6, ActEpsilon: 1.5, SplitTt: 2, TtMlpDim: 16), new SequenceInputBankSpec()), Parity),
        ["adatape-sequence-reference-pooling"] = Spec(new AdaTapeModelSpec(TinySpecs.Encoder, Tape with { Pooling = TapePooling.Reference }, new SequenceInputBankSpec()), Parity),
        ["adatape-image"] = Spec(new AdaTapeModelSpec(ImageEncoder, new TapeSpec(NumTapeTokens: 6, ActEpsilon: 1.5, SplitTt: 2, TtMlpDim: 16), new ImageInputBankSpec(4)), Images),
        ["transformer-parity"] = Spec(new TransformerModelSpec(TinySpecs.Encoder), Parity),
        ["vit-image"] = Spec(new TransformerModelSpec(ImageEncoder with { Classifier = Classifier.Token }), Images),
        ["ut-parity"] = Spec(new UniversalTransformerModelSpec(TinySpecs.Encoder, new ActHaltingSpec(MaxSteps: 3)), Parity),
        ["ut-image"] = Spec(new UniversalTransformerModelSpec(ImageEncoder, new ActHaltingSpec(MaxSteps: 3, HaltingBiasInit: 0.5)), Images),
        ["avit-parity"] = Spec(new AvitModelSpec(TinySpecs.Encoder with { Depth = 3, Classifier = Classifier.Token }, AvitHalting), Parity),
        ["avit-image"] = Spec(new AvitModelSpec(ImageEncoder with { Depth = 3, Classifier = Classifier.Token }, AvitHalting), Images),
    };

    private static RunSpec Spec(ModelSpec model, TaskSpec task) => TinySpecs.AdaTapeParity() with { Name = "onnx-test", Model = model, Task = task };

    public static IEnumerable<object[]> Names() => Specs.Keys.Select(k => new object[] { k });

    /// <summary>Writes seeded random weights of <paramref name="spec"/> to <paramref name="path"/>. Every parameter gets
    /// noise (the head starts at zero, which would make all logits 0 and the comparison vacuous).</summary>
    public static string SaveRandom(RunSpec spec, string path, int seed)
    {
        random.manual_seed(seed);
        using var model = ModelFactory.Create(spec.Model, spec.Task);
        using (no_grad())
            foreach (var (_, p) in model.named_parameters()) p.add_(randn_like(p) * 0.3);
        model.eval();
        File.WriteAllBytes(path, TorchCheckpoint.Encode(model, null, spec, 0, new Dictionary<string, string>()));
        return path;
    }

    /// <summary><paramref name="count"/> inputs of the spec's task: parity one-hots or random images.</summary>
    public static float[] Inputs(RunSpec spec, int count, int seed)
    {
        if (spec.Task is ParityTaskSpec p) return new ParityGenerator(p.SeqLen, 0, seed).TrainBatch(0, count).OneHot;
        var random = new Random(seed);
        return Enumerable.Range(0, count * InputShapes.ElementsOf(spec.Task)).Select(_ => (float)random.NextDouble()).ToArray();
    }
}
