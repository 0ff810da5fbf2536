using AdaTapeDml.Core.Specs;
using AdaTapeDml.Core.Validation;
using FsCheck;
using FsCheck.Fluent;

namespace AdaTapeDml.Properties.Generators;

/// <summary>FsCheck arbitraries of valid run specs: small widths and depths, every bank kind, tokensPerStep 1..3,
/// actEpsilon from just above 0 up to its largest valid value T / m (= T when m = 1), both loss types, complexQuery on
/// and off. Every generated spec passes <see cref="SpecValidator"/>; shrinking moves one field at a time toward the
/// smallest spec that is still valid.</summary>
public static class ValidSpecs
{
    /// <summary>Any valid spec: AdaTape (mostly) or one of the baselines; tau may be tiny, so banks may be large.
    /// For validation and serialisation properties: these specs are never built into models.</summary>
    public static Arbitrary<RunSpec> Any() => Arb.From(
        Gen.Frequency((4, AdaTape(buildable: false)), (1, Baseline())), Shrink);

    /// <summary>Valid AdaTape specs small enough to build and run in milliseconds (width at most 16, k at most 16,
    /// parity length at most 64), with valid-only pooling: for logit-level properties.</summary>
    public static Gen<RunSpec> Buildable() => AdaTape(buildable: true);

    private static Gen<EncoderSpec> Encoder(bool image) =>
        from heads in Gen.Choose(1, 2)
        from headWidth in Gen.Elements(2, 4, 8)
        from depth in Gen.Choose(1, 3)
        from mlpDim in Gen.Elements(1, 8, 32)
        from dropout in Gen.Elements(0.0, 0.1)
        from classifier in Gen.Elements(Classifier.Gap, Classifier.Token)
        from patch in image ? Gen.Elements(4, 7, 14) : Gen.Elements(1, 2, 4, 7, 14, 28)
        select new EncoderSpec(heads * headWidth, depth, heads, mlpDim, dropout, classifier, patch);

    /// <summary>tau in (0, S] with k = floor(T / tau) at most <paramref name="maxCandidates"/>: an integer, a fraction
    /// of S, or the smallest allowed value (just above 0 when banks may be large).</summary>
    private static Gen<double> Tau(int t, int s, int maxCandidates)
    {
        var low = (double)t / maxCandidates;                      // k <= maxCandidates
        var justAbove = Math.BitIncrement(low);
        return Gen.OneOf(
            Gen.Choose(Math.Max(1, (int)Math.Ceiling(low)), s).Select(i => (double)i),
            Gen.Choose(1, 1000).Select(i => Math.Max(justAbove, s * i / 1000.0)),
            Gen.Constant(justAbove));
    }

    private static Gen<RunSpec> AdaTape(bool buildable) =>
        from bankKind in Gen.Elements(0, 1, 2)                   // learnable, sequenceInput, imageInput
        let image = bankKind == 2
        from encoder in Encoder(image)
        from m in Gen.Choose(1, 3)
        from s in Gen.Choose(1, 4)
        let t = m * s
        from bankPatch in Gen.Elements(1, 2, 4).Where(p => p <= encoder.PatchSize)
        let maxK = bankKind switch
        {
            0 => buildable ? 16 : 5000,
            1 => buildable ? 16 : SpecValidator.MaxParityLength,
            _ => Math.Min(buildable ? 16 : int.MaxValue, (28 / bankPatch) * (28 / bankPatch)),
        }
        from tau in Tau(t, s, Math.Max(m, maxK))
        from lossType in Gen.Elements(ActLossType.Entropy, ActLossType.Max)
        from complexQuery in Gen.Elements(true, false)
        from knobs in TapeKnobs(encoder, buildable)
        let tape = knobs with { NumTapeTokens = t, TokensPerStep = m, ActEpsilon = tau, ActLossType = lossType, ComplexQuery = complexQuery }
        let k = tape.CandidatesPerStep
        from extraEntries in Gen.Choose(0, 8)
        from seqLen in Gen.Choose(Math.Max(1, bankKind == 1 ? k : 1), Math.Max(bankKind == 1 ? k : 1, buildable ? 16 : 64))
        from training in Training()
        from name in Gen.Elements("p", "a spec", "adatape-parity")
        let bank = bankKind switch
        {
            0 => (BankSpec)new LearnableBankSpec(k + extraEntries),
            1 => new SequenceInputBankSpec(),
            _ => new ImageInputBankSpec(bankPatch),
        }
        let task = image ? (TaskSpec)new FashionMnistTaskSpec() : new ParityTaskSpec(seqLen, EvalExamples: (int)Math.Min(10.0, Math.Pow(3, seqLen) / 2))
        select Checked(new RunSpec(name, new AdaTapeModelSpec(encoder, tape, bank), task, training));

    private static Gen<TapeSpec> TapeKnobs(EncoderSpec encoder, bool buildable) =>
        from weight in Gen.Elements(0.0, 0.01, 0.5)
        from noise in Gen.Elements(0.0, 0.1, 1.0)
        from maskP in Gen.Elements(0.0, 0.2, 0.9)
        from splitTt in Gen.Elements(Enumerable.Range(1, encoder.Width).Where(d => encoder.Width % d == 0).ToArray())
        from ttMlp in Gen.Elements(0, 4, 16)
        from encTtMlp in Gen.Elements(0, 8)
        from layer in Gen.Choose(0, encoder.Depth - 1)
        from pooling in buildable ? Gen.Constant(TapePooling.ValidOnly) : Gen.Elements(TapePooling.ValidOnly, TapePooling.Reference)
        select new TapeSpec(ActLossWeight: weight, QueryNoise: noise, BankMaskP: maskP, SplitTt: splitTt, TtMlpDim: ttMlp,
            EncTtMlpDim: encTtMlp, AddTapeAtLayer: layer, Pooling: pooling);

    private static Gen<TrainingSpec> Training() =>
        from lr in Gen.Elements(1e-4, 1e-3, 3e-3)
        from batch in Gen.Choose(1, 64)
        from steps in Gen.Choose(1, 100)
        from warmup in Gen.Choose(0, steps)
        from clip in Gen.Elements(0.0, 1.0)
        from seed in Gen.Choose(-5, 5)
        select new TrainingSpec(LearningRate: lr, BatchSize: batch, Steps: steps, WarmupSteps: warmup, ClipNorm: clip, Seed: seed,
            EvalInterval: Math.Max(1, steps / 4), CheckpointInterval: steps);

    private static Gen<RunSpec> Baseline() =>
        from encoder in Encoder(image: false)
        from ut in Gen.Elements(true, false)
        from maxSteps in Gen.Choose(1, 12)
        from threshold in Gen.Elements(0.5, 0.99, 1.0)
        from training in Training()
        select Checked(new RunSpec("baseline",
            ut ? new UniversalTransformerModelSpec(encoder, new ActHaltingSpec(maxSteps, threshold)) : new TransformerModelSpec(encoder),
            new ParityTaskSpec(8, 10), training));

    /// <summary>Guards the generator: a spec it makes that is not valid is a bug in the generator, not in the validator.</summary>
    private static RunSpec Checked(RunSpec spec)
    {
        var errors = SpecValidator.Validate(spec);
        return errors.Count == 0 ? spec : throw new InvalidOperationException($"ValidSpecs made an invalid spec: {string.Join("; ", errors)}");
    }

    /// <summary>One field at a time toward its smallest value, keeping only specs that are still valid.</summary>
    public static IEnumerable<RunSpec> Shrink(RunSpec spec) =>
        Candidates(spec).Where(c => c != spec && SpecValidator.Validate(c).Count == 0).Distinct();

    private static IEnumerable<RunSpec> Candidates(RunSpec spec)
    {
        if (spec.Name != "p") yield return spec with { Name = "p" };
        var minimalTraining = new TrainingSpec(BatchSize: 1, Steps: 1, WarmupSteps: 0, EvalInterval: 1, CheckpointInterval: 1);
        yield return spec with { Training = minimalTraining };
        foreach (var model in ShrinkModel(spec.Model)) yield return spec with { Model = model };
        if (spec.Task is ParityTaskSpec parity)
        {
            yield return spec with { Task = parity with { EvalExamples = 1 } };
            if (parity.SeqLen > 1) yield return spec with { Task = new ParityTaskSpec(parity.SeqLen - 1, 1) };
        }
    }

    private static IEnumerable<ModelSpec> ShrinkModel(ModelSpec model)
    {
        var e = model.Encoder;
        foreach (var encoder in new[]
                 {
                     e with { Depth = Math.Max(1, e.Depth - 1) }, e with { Heads = 1 }, e with { Width = e.Width / 2, Heads = 1 },
                     e with { MlpDim = 1 }, e with { Dropout = 0 }, e with { Classifier = Classifier.Gap },
                 })
            yield return model with { Encoder = encoder };
        if (model is not AdaTapeModelSpec a) yield break;
        var t = a.Tape;
        foreach (var tape in new[]
                 {
                     t with { NumTapeTokens = t.NumTapeTokens - t.TokensPerStep }, t with { NumTapeTokens = t.NumTapeTokens / t.TokensPerStep, TokensPerStep = 1 },
                     t with { ActEpsilon = Math.Ceiling(t.ActEpsilon) }, t with { ActEpsilon = 1 }, t with { ActLossWeight = 0 },
                     t with { QueryNoise = 0 }, t with { BankMaskP = 0 }, t with { SplitTt = 1 }, t with { TtMlpDim = 0 },
                     t with { EncTtMlpDim = 0 }, t with { AddTapeAtLayer = 0 }, t with { ComplexQuery = true }, t with { ActLossType = ActLossType.Entropy },
                     t with { Pooling = TapePooling.ValidOnly },
                 })
            yield return a with { Tape = tape };
        if (a.Bank is LearnableBankSpec) yield return a with { Bank = new LearnableBankSpec(Math.Max(1, t.CandidatesPerStep)) };
    }
}
