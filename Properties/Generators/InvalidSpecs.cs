using System.Text;
using AdaTapeDml.Core.Serialization;
using AdaTapeDml.Core.Specs;
using FsCheck;
using FsCheck.Fluent;

namespace AdaTapeDml.Properties.Generators;

/// <summary>A rule of <see cref="Core.Validation.SpecValidator"/> broken on purpose.</summary>
/// <param name="Rule">What is broken, for reports.</param>
/// <param name="Path">The field the validator must name.</param>
/// <param name="Touches">Parts of the spec the break rewrites; two breaks combine only when no part of one contains a
/// part of the other (a break that replaces the model would erase a broken tape knob). "structure" marks breaks that
/// change what other rules check (widths, tape length, task, bank, model kind): at most one per spec.</param>
/// <param name="Apply">Breaks the rule on any valid AdaTape spec.</param>
public sealed record Breaker(string Rule, string Path, string[] Touches, Func<RunSpec, RunSpec> Apply)
{
    public bool CombinesWith(Breaker other) =>
        !Touches.Any(a => other.Touches.Any(b => a == b || a.StartsWith(b + ".", StringComparison.Ordinal) || b.StartsWith(a + ".", StringComparison.Ordinal)));

    public override string ToString() => Rule;
}

/// <summary>A valid spec with one or more rules broken, and the fields the validator must name.</summary>
public sealed record InvalidSpec(RunSpec Base, Breaker[] Broken)
{
    /// <summary>The broken spec (structural breaks first, so that field breaks land on the final shape).</summary>
    public RunSpec Spec => Broken.OrderByDescending(b => b.Touches.Contains("structure")).Aggregate(Base, (spec, b) => b.Apply(spec));

    public IEnumerable<string> ExpectedPaths => Broken.Select(b => b.Path).Distinct();

    public override string ToString()
    {
        var text = new StringBuilder($"broken: {string.Join(", ", Broken.Select(b => b.Rule))}\n");
        try { text.Append(RunSpecJson.Serialize(Spec)); }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or InvalidOperationException) { text.Append(Spec); }
        return text.ToString();
    }
}

/// <summary>Every validation rule as a <see cref="Breaker"/>, and FsCheck arbitraries of invalid specs: each rule broken
/// alone on a generated valid spec, and several compatible rules broken together. Shrinking drops breaks and shrinks the
/// valid spec underneath.</summary>
public static class InvalidSpecs
{
    private static readonly FashionMnistTaskSpec Fashion = new();

    private static AdaTapeModelSpec AdaTape(RunSpec s) => (AdaTapeModelSpec)s.Model;
    private static int K(RunSpec s) => AdaTape(s).Tape.CandidatesPerStep;
    private static RunSpec Tape(RunSpec s, Func<TapeSpec, TapeSpec> change) => s with { Model = AdaTape(s) with { Tape = change(AdaTape(s).Tape) } };
    private static RunSpec Encoder(RunSpec s, Func<EncoderSpec, EncoderSpec> change) => s with { Model = s.Model with { Encoder = change(s.Model.Encoder) } };
    private static RunSpec Training(RunSpec s, Func<TrainingSpec, TrainingSpec> change) => s with { Training = change(s.Training) };
    private static RunSpec Act(RunSpec s, Func<ActHaltingSpec, ActHaltingSpec> change) => s with { Model = new UniversalTransformerModelSpec(s.Model.Encoder, change(new ActHaltingSpec())) };
    private static RunSpec OnImages(RunSpec s, int encoderPatch, BankSpec bank) =>
        s with { Model = AdaTape(s) with { Encoder = s.Model.Encoder with { PatchSize = encoderPatch }, Bank = bank }, Task = Fashion };
    private static RunSpec WithBank(RunSpec s, BankSpec bank) => s with { Model = AdaTape(s) with { Bank = bank } };
    private static int ParityLength(RunSpec s) => s.Task is ParityTaskSpec p ? p.SeqLen : 16;

    private static Breaker Field(string rule, string path, Func<RunSpec, RunSpec> apply) => new(rule, path, [path], apply);
    private static Breaker Structural(string rule, string path, Func<RunSpec, RunSpec> apply, params string[] parts) => new(rule, path, ["structure", .. parts], apply);

    /// <summary>Rules whose check depends on no other field: any number of them combine.</summary>
    public static readonly Breaker[] FieldRules =
    [
        Field("empty name", "name", s => s with { Name = "" }),
        Field("blank name", "name", s => s with { Name = "   " }),
        Field("null name", "name", s => s with { Name = null! }),
        Field("mlpDim 0", "model.encoder.mlpDim", s => Encoder(s, e => e with { MlpDim = 0 })),
        Field("dropout 1", "model.encoder.dropout", s => Encoder(s, e => e with { Dropout = 1.0 })),
        Field("dropout negative", "model.encoder.dropout", s => Encoder(s, e => e with { Dropout = -0.1 })),
        Field("actLossWeight negative", "model.tape.actLossWeight", s => Tape(s, t => t with { ActLossWeight = -0.01 })),
        Field("actLossWeight NaN", "model.tape.actLossWeight", s => Tape(s, t => t with { ActLossWeight = double.NaN })),
        Field("queryNoise negative", "model.tape.queryNoise", s => Tape(s, t => t with { QueryNoise = -0.5 })),
        Field("queryNoise infinite", "model.tape.queryNoise", s => Tape(s, t => t with { QueryNoise = double.PositiveInfinity })),
        Field("bankMaskP 1", "model.tape.bankMaskP", s => Tape(s, t => t with { BankMaskP = 1.0 })),
        Field("bankMaskP negative", "model.tape.bankMaskP", s => Tape(s, t => t with { BankMaskP = -0.2 })),
        Field("trainActEpsilonMax below actEpsilon", "model.tape.trainActEpsilonMax", s => Tape(s, t => t with { TrainActEpsilonMax = t.ActEpsilon / 2 })),
        Field("trainActEpsilonMax above T", "model.tape.trainActEpsilonMax", s => Tape(s, t => t with { TrainActEpsilonMax = t.NumTapeTokens + 1 })),
        Field("trainActEpsilonMax NaN", "model.tape.trainActEpsilonMax", s => Tape(s, t => t with { TrainActEpsilonMax = double.NaN })),
        Field("ttMlpDim negative", "model.tape.ttMlpDim", s => Tape(s, t => t with { TtMlpDim = -1 })),
        Field("encTtMlpDim negative", "model.tape.encTtMlpDim", s => Tape(s, t => t with { EncTtMlpDim = -1 })),
        Field("actLossType undefined", "model.tape.actLossType", s => Tape(s, t => t with { ActLossType = (ActLossType)7 })),
        Field("pooling undefined", "model.tape.pooling", s => Tape(s, t => t with { Pooling = (TapePooling)7 })),
        Field("optimizer undefined", "training.optimizer", s => Training(s, t => t with { Optimizer = (OptimizerKind)5 })),
        Field("learningRate 0", "training.learningRate", s => Training(s, t => t with { LearningRate = 0 })),
        Field("learningRate NaN", "training.learningRate", s => Training(s, t => t with { LearningRate = double.NaN })),
        Field("beta1 1", "training.beta1", s => Training(s, t => t with { Beta1 = 1 })),
        Field("beta2 negative", "training.beta2", s => Training(s, t => t with { Beta2 = -0.1 })),
        Field("weightDecay negative", "training.weightDecay", s => Training(s, t => t with { WeightDecay = -1 })),
        Field("clipNorm negative", "training.clipNorm", s => Training(s, t => t with { ClipNorm = -1 })),
        Field("warmupSteps negative", "training.warmupSteps", s => Training(s, t => t with { WarmupSteps = -1 })),
        new("warmupSteps above steps", "training.warmupSteps", ["training.steps"], s => Training(s, t => t with { WarmupSteps = t.Steps + 1 })),
        new("steps 0", "training.steps", ["training.steps"], s => Training(s, t => t with { Steps = 0 })),
        Field("batchSize 0", "training.batchSize", s => Training(s, t => t with { BatchSize = 0 })),
        Field("evalInterval 0", "training.evalInterval", s => Training(s, t => t with { EvalInterval = 0 })),
        Field("checkpointInterval 0", "training.checkpointInterval", s => Training(s, t => t with { CheckpointInterval = 0 })),
    ];

    /// <summary>Rules whose check involves several fields (or that replace a whole part): one per spec.</summary>
    public static readonly Breaker[] StructuralRules =
    [
        Structural("parity seqLen 0", "task.seqLen", s => s with { Task = new ParityTaskSpec(SeqLen: 0) }),
        Structural("parity seqLen above 1024", "task.seqLen", s => s with { Task = new ParityTaskSpec(SeqLen: 1025) }),
        Structural("parity evalExamples 0", "task.evalExamples", s => s with { Task = new ParityTaskSpec(ParityLength(s), EvalExamples: 0) }),
        Structural("parity evalExamples above half of 3^L", "task.evalExamples", s => s with { Task = new ParityTaskSpec(SeqLen: 8, EvalExamples: 3281) }),
        Structural("fashion dataDir empty", "task.dataDir", s => OnImages(s, s.Model.Encoder.PatchSize, new LearnableBankSpec(Math.Max(1, K(s)))) with { Task = new FashionMnistTaskSpec("") }),
        Structural("width 0", "model.encoder.width", s => Encoder(s, e => e with { Width = 0 })),
        Structural("width not a multiple of heads", "model.encoder.width", s => Encoder(s, e => e with { Heads = e.Width + 1 })),
        Structural("depth 0", "model.encoder.depth", s => Encoder(s, e => e with { Depth = 0 })),
        Structural("heads 0", "model.encoder.heads", s => Encoder(s, e => e with { Heads = 0 })),
        Structural("encoder patch not dividing the image", "model.encoder.patchSize", s => OnImages(s, 5, new LearnableBankSpec(Math.Max(1, K(s))))),
        Structural("numTapeTokens not a multiple of tokensPerStep", "model.tape.numTapeTokens", s => Tape(s, t => t with { NumTapeTokens = 3, TokensPerStep = 2, ActEpsilon = 1.5 })),
        Structural("tokensPerStep 0", "model.tape.tokensPerStep", s => Tape(s, t => t with { TokensPerStep = 0 })),
        Structural("tokensPerStep above k", "model.tape.tokensPerStep", s => Tape(s, t => t with { NumTapeTokens = 2, TokensPerStep = 2, ActEpsilon = 2 })),
        Structural("actEpsilon 0", "model.tape.actEpsilon", s => Tape(s, t => t with { ActEpsilon = 0 })),
        Structural("actEpsilon negative", "model.tape.actEpsilon", s => Tape(s, t => t with { ActEpsilon = -1 })),
        Structural("actEpsilon NaN", "model.tape.actEpsilon", s => Tape(s, t => t with { ActEpsilon = double.NaN })),
        Structural("actEpsilon infinite", "model.tape.actEpsilon", s => Tape(s, t => t with { ActEpsilon = double.PositiveInfinity })),
        Structural("actEpsilon above T", "model.tape.actEpsilon", s => Tape(s, t => t with { ActEpsilon = t.NumTapeTokens + 0.5 })),
        Structural("splitTt 0", "model.tape.splitTt", s => Tape(s, t => t with { SplitTt = 0 })),
        Structural("splitTt not dividing width", "model.tape.splitTt", s => Tape(s, t => t with { SplitTt = s.Model.Encoder.Width + 1 })),
        Structural("addTapeAtLayer equal to depth", "model.tape.addTapeAtLayer", s => Tape(s, t => t with { AddTapeAtLayer = s.Model.Encoder.Depth })),
        Structural("addTapeAtLayer negative", "model.tape.addTapeAtLayer", s => Tape(s, t => t with { AddTapeAtLayer = -1 })),
        Structural("learnable bank smaller than k", "model.bank.size", s => WithBank(s, new LearnableBankSpec(K(s) - 1))),
        Structural("sequence bank shorter than k", "model.bank.kind", s => WithBank(Tape(s, t => t with { NumTapeTokens = 4, TokensPerStep = 1, ActEpsilon = 1 }),
            new SequenceInputBankSpec()) with { Task = new ParityTaskSpec(SeqLen: 2, EvalExamples: 1) }),
        Structural("sequence bank on an image task", "model.bank.kind", s => OnImages(s, 4, new SequenceInputBankSpec())),
        Structural("image bank on the parity task", "model.bank.kind", s => WithBank(s, new ImageInputBankSpec()) with { Task = new ParityTaskSpec(8, 10) }),
        Structural("image bank patch not dividing the image", "model.bank.patchSize", s => OnImages(s, 7, new ImageInputBankSpec(3))),
        Structural("image bank with fewer patches than k", "model.bank.patchSize", s => OnImages(Tape(s, t => t with { NumTapeTokens = 10, TokensPerStep = 1, ActEpsilon = 1 }), 14, new ImageInputBankSpec(14))),
        Structural("image bank coarser than the main patch", "model.bank.patchSize", s => OnImages(s, 4, new ImageInputBankSpec(7))),
        Structural("ut maxSteps 0", "model.act.maxSteps", s => Act(s, a => a with { MaxSteps = 0 }), "model"),
        Structural("ut threshold 0", "model.act.threshold", s => Act(s, a => a with { Threshold = 0 }), "model"),
        Structural("ut threshold above 1", "model.act.threshold", s => Act(s, a => a with { Threshold = 1.01 }), "model"),
        Structural("ut haltingBiasInit NaN", "model.act.haltingBiasInit", s => Act(s, a => a with { HaltingBiasInit = double.NaN }), "model"),
        Structural("ut ponderWeight negative", "model.act.ponderWeight", s => Act(s, a => a with { PonderWeight = -1 }), "model"),
        Structural("null model", "model", s => s with { Model = null! }, "model"),
        Structural("null task", "task", s => s with { Task = null! }, "task"),
        Structural("null training", "training", s => s with { Training = null! }, "training"),
        Structural("null encoder", "model.encoder", s => s with { Model = s.Model with { Encoder = null! } }, "model.encoder"),
        Structural("null tape", "model.tape", s => s with { Model = AdaTape(s) with { Tape = null! } }, "model.tape"),
        Structural("null bank", "model.bank", s => WithBank(s, null!), "model.bank"),
        Structural("null act", "model.act", s => s with { Model = new UniversalTransformerModelSpec(s.Model.Encoder) with { Act = null! } }, "model"),
    ];

    public static readonly Breaker[] All = [.. FieldRules, .. StructuralRules];

    /// <summary>One rule broken alone.</summary>
    public static Arbitrary<InvalidSpec> Alone() => Arb.From(
        from spec in Bases()
        from rule in Gen.Elements(All)
        select new InvalidSpec(spec, [rule]), Shrink);

    /// <summary>Two to five compatible rules broken together (at most one structural).</summary>
    public static Arbitrary<InvalidSpec> Combined() => Arb.From(
        from spec in Bases()
        from first in Gen.Elements(All)
        from others in Gen.ArrayOf(Gen.Elements(FieldRules), 4)
        select new InvalidSpec(spec, Compatible([first, .. others])), Shrink);

    /// <summary>Valid AdaTape specs to break (the rules are written for AdaTape; breaks to baselines make their own model).</summary>
    private static Gen<RunSpec> Bases() => ValidSpecs.Any().Generator.Where(s => s.Model is AdaTapeModelSpec);

    private static Breaker[] Compatible(IEnumerable<Breaker> candidates)
    {
        var chosen = new List<Breaker>();
        foreach (var b in candidates)
            if (chosen.All(c => c.CombinesWith(b))) chosen.Add(b);
        return [.. chosen];
    }

    private static IEnumerable<InvalidSpec> Shrink(InvalidSpec s)
    {
        if (s.Broken.Length > 1)
            for (var i = 0; i < s.Broken.Length; i++)
                yield return s with { Broken = s.Broken.Where((_, j) => j != i).ToArray() };
        foreach (var smaller in ValidSpecs.Shrink(s.Base).Where(b => b.Model is AdaTapeModelSpec))
            yield return s with { Base = smaller };
    }
}
