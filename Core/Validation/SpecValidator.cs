using System.Diagnostics.Contracts;
using System.Globalization;
using AdaTapeDml.Core.Specs;

namespace AdaTapeDml.Core.Validation;

/// <summary>Checks a run spec and returns every problem at once, each with its field path, value and the fix.
/// Never throws, including on nulls that a hand-built spec may carry.</summary>
public static class SpecValidator
{
    /// <summary>All problems of a run spec; empty when it is valid.</summary>
    [Pure]
    public static IReadOnlyList<SpecError> Validate(RunSpec? spec)
    {
        var errors = new List<SpecError>();
        if (spec is null) return [new SpecError("$", "null", "a run spec object")];
        if (string.IsNullOrWhiteSpace(spec.Name)) errors.Add(new SpecError("name", Quote(spec.Name), "a non-empty name"));
        ValidateTask(spec.Task, "task", errors);
        ValidateModel(spec.Model, spec.Task, "model", errors);
        ValidateTraining(spec.Training, "training", errors);
        return errors;
    }

    private static void ValidateTask(TaskSpec? task, string path, List<SpecError> errors)
    {
        switch (task)
        {
            case null:
                errors.Add(new SpecError(path, "null", "a task: {\"kind\": \"parity\"} or {\"kind\": \"fashionMnist\"}"));
                break;
            case ParityTaskSpec parity:
                AtLeast(parity.SeqLen, 1, $"{path}.seqLen", errors);
                AtMost(parity.SeqLen, MaxParityLength, $"{path}.seqLen", errors);
                AtLeast(parity.EvalExamples, 1, $"{path}.evalExamples", errors);
                if (parity.SeqLen is >= 1 and <= MaxParityLength && parity.EvalExamples > ParityCapacity(parity.SeqLen) / 2)
                    errors.Add(new SpecError($"{path}.evalExamples", Show(parity.EvalExamples),
                        $"at most half of the 3^{parity.SeqLen} = {ParityCapacity(parity.SeqLen)} distinct sequences, so training has unseen data left"));
                break;
            case FashionMnistTaskSpec fashion:
                if (string.IsNullOrWhiteSpace(fashion.DataDir))
                    errors.Add(new SpecError($"{path}.dataDir", Quote(fashion.DataDir), $"a folder with the Fashion-MNIST IDX files, e.g. {FashionMnistTaskSpec.DebianDataDir}"));
                AtLeast(fashion.CropPadding, 0, $"{path}.cropPadding", errors);
                AtMost(fashion.CropPadding, FashionMnistTaskSpec.ImageSize / 2, $"{path}.cropPadding", errors);
                break;
        }
    }

    /// <summary>Longest parity sequence: the one-hot input of the whole-sequence embedding stays modest.</summary>
    public const int MaxParityLength = 1024;

    private static double ParityCapacity(int seqLen) => Math.Pow(3, seqLen);

    private static void ValidateModel(ModelSpec? model, TaskSpec? task, string path, List<SpecError> errors)
    {
        if (model is null)
        {
            errors.Add(new SpecError(path, "null", $"a model: {{\"kind\": {ModelKinds.Listed()}}}"));
            return;
        }
        ValidateEncoder(model.Encoder, task, $"{path}.encoder", errors);
        switch (model)
        {
            case AdaTapeModelSpec adaTape:
                ValidateTape(adaTape.Tape, adaTape.Encoder, $"{path}.tape", errors);
                ValidateBank(adaTape.Bank, adaTape.Tape, adaTape.Encoder, task, $"{path}.bank", errors);
                break;
            case UniversalTransformerModelSpec ut:
                ValidateAct(ut.Act, $"{path}.act", errors);
                break;
            case AvitModelSpec avit:
                ValidateTokenHalting(avit.Halting, avit.Encoder, $"{path}.halting", errors);
                if (avit.Encoder is { Classifier: not Classifier.Token })
                    errors.Add(new SpecError($"{path}.encoder.classifier", avit.Encoder.Classifier.ToString().ToLowerInvariant(),
                        "token: A-ViT classifies the class token of its halting-weighted output"));
                break;
            case TransformerModelSpec:
                break;
        }
    }

    private static void ValidateTokenHalting(TokenHaltingSpec? halting, EncoderSpec? encoder, string path, List<SpecError> errors)
    {
        if (halting is null) { errors.Add(new SpecError(path, "null", "a halting object (gateScale, gateCenter, eps, ...)")); return; }
        if (!double.IsFinite(halting.GateScale) || halting.GateScale <= 0)
            errors.Add(new SpecError($"{path}.gateScale", Show(halting.GateScale), "a finite number > 0 (a score that rises with channel 0)"));
        if (!double.IsFinite(halting.GateCenter)) errors.Add(new SpecError($"{path}.gateCenter", Show(halting.GateCenter), "a finite number"));
        if (!double.IsFinite(halting.Eps) || halting.Eps <= 0 || halting.Eps >= 1)
            errors.Add(new SpecError($"{path}.eps", Show(halting.Eps), "a number in (0, 1): a token halts when its cumulative score exceeds 1 - eps"));
        NonNegative(halting.PonderScale, $"{path}.ponderScale", errors);
        NonNegative(halting.PriorWeight, $"{path}.priorWeight", errors);
        if (encoder is { Depth: >= 1 } && (halting.PriorTargetDepth < 0 || halting.PriorTargetDepth >= encoder.Depth))
            errors.Add(new SpecError($"{path}.priorTargetDepth", Show(halting.PriorTargetDepth),
                $"a layer index from 0 to depth - 1 = {encoder.Depth - 1}"));
        if (!double.IsFinite(halting.PriorStd) || halting.PriorStd <= 0)
            errors.Add(new SpecError($"{path}.priorStd", Show(halting.PriorStd), "a finite number > 0 (layers)"));
    }

    private static void ValidateEncoder(EncoderSpec? encoder, TaskSpec? task, string path, List<SpecError> errors)
    {
        if (encoder is null) { errors.Add(new SpecError(path, "null", "an encoder object (width, depth, heads, mlpDim, ...)")); return; }
        AtLeast(encoder.Width, 1, $"{path}.width", errors);
        AtLeast(encoder.Depth, 1, $"{path}.depth", errors);
        AtLeast(encoder.Heads, 1, $"{path}.heads", errors);
        AtLeast(encoder.MlpDim, 1, $"{path}.mlpDim", errors);
        if (encoder.Width >= 1 && encoder.Heads >= 1 && encoder.Width % encoder.Heads != 0)
            errors.Add(new SpecError($"{path}.width", Show(encoder.Width), $"a multiple of heads ({encoder.Heads})"));
        Rate(encoder.Dropout, $"{path}.dropout", errors);
        if (task is FashionMnistTaskSpec) PatchDividesImage(encoder.PatchSize, $"{path}.patchSize", errors);
    }

    private static void ValidateTape(TapeSpec? tape, EncoderSpec? encoder, string path, List<SpecError> errors)
    {
        if (tape is null) { errors.Add(new SpecError(path, "null", "a tape object (numTapeTokens, actEpsilon, ...)")); return; }
        AtLeast(tape.NumTapeTokens, 1, $"{path}.numTapeTokens", errors);
        AtLeast(tape.TokensPerStep, 1, $"{path}.tokensPerStep", errors);
        if (tape.NumTapeTokens >= 1 && tape.TokensPerStep >= 1 && tape.NumTapeTokens % tape.TokensPerStep != 0)
            errors.Add(new SpecError($"{path}.numTapeTokens", Show(tape.NumTapeTokens), $"a multiple of tokensPerStep ({tape.TokensPerStep})"));
        if (!double.IsFinite(tape.ActEpsilon) || tape.ActEpsilon <= 0)
            errors.Add(new SpecError($"{path}.actEpsilon", Show(tape.ActEpsilon), "a finite number > 0"));
        else if (tape.PinnedCandidates is { } pinned)
            AtLeast(pinned, Math.Max(1, tape.TokensPerStep), $"{path}.pinnedCandidates", errors, "tokensPerStep (and 1): the candidates one step merges");
        else if (tape.NumTapeTokens >= 1 && tape.CandidatesPerStep < 1)
            errors.Add(new SpecError($"{path}.actEpsilon", Show(tape.ActEpsilon),
                $"at most numTapeTokens ({tape.NumTapeTokens}), so that a step merges k = floor(numTapeTokens / actEpsilon) >= 1 candidates"));
        else if (tape.NumTapeTokens >= 1 && tape.TokensPerStep >= 1 && tape.CandidatesPerStep < tape.TokensPerStep)
            errors.Add(new SpecError($"{path}.tokensPerStep", Show(tape.TokensPerStep),
                $"at most k = floor(numTapeTokens / actEpsilon) = {tape.CandidatesPerStep}, the candidates one step merges"));
        if (tape.TrainActEpsilonMax is { } most && (!double.IsFinite(most) || most <= 0 || most < tape.ActEpsilon || most > tape.NumTapeTokens))
            errors.Add(new SpecError($"{path}.trainActEpsilonMax", Show(most),
                $"a threshold from actEpsilon ({Show(tape.ActEpsilon)}) to numTapeTokens ({tape.NumTapeTokens}), the range training draws from"));
        NonNegative(tape.ActLossWeight, $"{path}.actLossWeight", errors);
        NonNegative(tape.QueryNoise, $"{path}.queryNoise", errors);
        Rate(tape.BankMaskP, $"{path}.bankMaskP", errors);
        AtLeast(tape.SplitTt, 1, $"{path}.splitTt", errors);
        if (encoder is { Width: >= 1 } && tape.SplitTt >= 1 && encoder.Width % tape.SplitTt != 0)
            errors.Add(new SpecError($"{path}.splitTt", Show(tape.SplitTt), $"a divisor of the encoder width ({encoder.Width}); the key width is width / splitTt"));
        AtLeast(tape.TtMlpDim, 0, $"{path}.ttMlpDim", errors);
        AtLeast(tape.EncTtMlpDim, 0, $"{path}.encTtMlpDim", errors);
        if (encoder is { Depth: >= 1 } && (tape.AddTapeAtLayer < 0 || tape.AddTapeAtLayer >= encoder.Depth))
            errors.Add(new SpecError($"{path}.addTapeAtLayer", Show(tape.AddTapeAtLayer),
                $"a block index from 0 to depth - 1 = {encoder.Depth - 1}, so that at least one block processes the tape"));
        if (!Enum.IsDefined(tape.ActLossType)) errors.Add(new SpecError($"{path}.actLossType", tape.ActLossType.ToString(), "entropy or max"));
        if (!Enum.IsDefined(tape.Pooling)) errors.Add(new SpecError($"{path}.pooling", tape.Pooling.ToString(), "validOnly or reference"));
    }

    private static void ValidateBank(BankSpec? bank, TapeSpec? tape, EncoderSpec? encoder, TaskSpec? task, string path, List<SpecError> errors)
    {
        var k = tape is { ActEpsilon: > 0 } ? tape.CandidatesPerStep : 0;
        switch (bank)
        {
            case null:
                errors.Add(new SpecError(path, "null", "a bank: {\"kind\": \"learnable\" | \"sequenceInput\" | \"imageInput\"}"));
                break;
            case LearnableBankSpec learnable:
                AtLeast(learnable.Size, Math.Max(1, k), $"{path}.size", errors,
                    k >= 1 ? $"the k = floor(numTapeTokens / actEpsilon) = {k} candidates one step merges" : null);
                break;
            case SequenceInputBankSpec when task is not ParityTaskSpec && task is not null:
                errors.Add(new SpecError($"{path}.kind", "sequenceInput", "learnable or imageInput for an image task; sequenceInput needs a sequence task (parity)"));
                break;
            case SequenceInputBankSpec when task is ParityTaskSpec parity && parity.SeqLen >= 1 && parity.SeqLen < k:
                errors.Add(new SpecError($"{path}.kind", "sequenceInput",
                    $"a bank of at least k = {k} entries; this one has one entry per element (seqLen {parity.SeqLen}): lower numTapeTokens / actEpsilon or lengthen the sequence"));
                break;
            case ImageInputBankSpec when task is not FashionMnistTaskSpec && task is not null:
                errors.Add(new SpecError($"{path}.kind", "imageInput", "learnable or sequenceInput for a sequence task; imageInput needs an image task (fashionMnist)"));
                break;
            case ImageInputBankSpec image:
                if (PatchDividesImage(image.PatchSize, $"{path}.patchSize", errors))
                {
                    var entries = (FashionMnistTaskSpec.ImageSize / image.PatchSize) * (FashionMnistTaskSpec.ImageSize / image.PatchSize);
                    if (entries < k)
                        errors.Add(new SpecError($"{path}.patchSize", Show(image.PatchSize),
                            $"small enough that the bank's {entries} patches cover the k = {k} candidates one step merges"));
                }
                if (encoder is not null && image.PatchSize >= 1 && encoder.PatchSize >= 1 && image.PatchSize > encoder.PatchSize)
                    errors.Add(new SpecError($"{path}.patchSize", Show(image.PatchSize), $"at most the main patch size ({encoder.PatchSize}): the bank is the finer view of the image"));
                break;
        }
    }

    private static void ValidateAct(ActHaltingSpec? act, string path, List<SpecError> errors)
    {
        if (act is null) { errors.Add(new SpecError(path, "null", "an act object (maxSteps, threshold, haltingBiasInit, ponderWeight)")); return; }
        AtLeast(act.MaxSteps, 1, $"{path}.maxSteps", errors);
        if (!double.IsFinite(act.Threshold) || act.Threshold <= 0 || act.Threshold > 1)
            errors.Add(new SpecError($"{path}.threshold", Show(act.Threshold), "a number in (0, 1]"));
        if (!double.IsFinite(act.HaltingBiasInit)) errors.Add(new SpecError($"{path}.haltingBiasInit", Show(act.HaltingBiasInit), "a finite number"));
        NonNegative(act.PonderWeight, $"{path}.ponderWeight", errors);
    }

    private static void ValidateTraining(TrainingSpec? training, string path, List<SpecError> errors)
    {
        if (training is null) { errors.Add(new SpecError(path, "null", "a training object (learningRate, steps, batchSize, ...)")); return; }
        if (!Enum.IsDefined(training.Optimizer)) errors.Add(new SpecError($"{path}.optimizer", training.Optimizer.ToString(), "adamw"));
        if (!double.IsFinite(training.LearningRate) || training.LearningRate <= 0)
            errors.Add(new SpecError($"{path}.learningRate", Show(training.LearningRate), "a finite number > 0"));
        Rate(training.Beta1, $"{path}.beta1", errors);
        Rate(training.Beta2, $"{path}.beta2", errors);
        NonNegative(training.WeightDecay, $"{path}.weightDecay", errors);
        NonNegative(training.ClipNorm, $"{path}.clipNorm", errors);
        if (!(training.LabelSmoothing is >= 0 and < 1))
            errors.Add(new SpecError($"{path}.labelSmoothing", Show(training.LabelSmoothing), "a number in [0, 1)"));
        AtLeast(training.WarmupSteps, 0, $"{path}.warmupSteps", errors);
        AtLeast(training.BatchSize, 1, $"{path}.batchSize", errors);
        AtLeast(training.Steps, 1, $"{path}.steps", errors);
        AtLeast(training.EvalInterval, 1, $"{path}.evalInterval", errors);
        AtLeast(training.CheckpointInterval, 1, $"{path}.checkpointInterval", errors);
        if (training.Steps >= 1 && training.WarmupSteps > training.Steps)
            errors.Add(new SpecError($"{path}.warmupSteps", Show(training.WarmupSteps), $"at most steps ({training.Steps})"));
    }

    private static bool PatchDividesImage(int patch, string path, List<SpecError> errors)
    {
        if (patch >= 1 && FashionMnistTaskSpec.ImageSize % patch == 0) return true;
        errors.Add(new SpecError(path, Show(patch), $"a divisor of the image size {FashionMnistTaskSpec.ImageSize} (1, 2, 4, 7, 14 or 28)"));
        return false;
    }

    private static void AtLeast(int value, int min, string path, List<SpecError> errors, string? why = null)
    {
        if (value < min) errors.Add(new SpecError(path, Show(value), why is null ? $"an integer >= {min}" : $"an integer >= {min}: {why}"));
    }

    private static void AtMost(int value, int max, string path, List<SpecError> errors)
    {
        if (value > max) errors.Add(new SpecError(path, Show(value), $"an integer <= {max}"));
    }

    private static void NonNegative(double value, string path, List<SpecError> errors)
    {
        if (!double.IsFinite(value) || value < 0) errors.Add(new SpecError(path, Show(value), "a finite number >= 0"));
    }

    private static void Rate(double value, string path, List<SpecError> errors)
    {
        if (!double.IsFinite(value) || value < 0 || value >= 1) errors.Add(new SpecError(path, Show(value), "a rate in [0, 1)"));
    }

    private static string Show(double value) => value.ToString("R", CultureInfo.InvariantCulture);
    private static string Show(int value) => value.ToString(CultureInfo.InvariantCulture);
    private static string Quote(string? s) => s is null ? "null" : $"\"{s}\"";
}
