using System.Diagnostics.Contracts;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Core.Tasks;

namespace AdaTapeDml.Core.Layout;

/// <summary>The token layout and stages of a model on a task, derived from its spec: the one place every interpreter
/// (TorchSharp modules, the ONNX compiler) and the cost model read how inputs become tokens, how big the tape bank is and
/// where READ ends and ENCODE begins.</summary>
/// <param name="InputKind">How inputs become tokens.</param>
/// <param name="InputTokens">Tokens the input becomes, CLS excluded.</param>
/// <param name="ClsTokens">1 with the token classifier, else 0.</param>
/// <param name="BankSize">N, entries of a sample's tape bank (0 without a tape).</param>
/// <param name="Bank">How the bank reaches the ATR at inference: per sample, one shared learned bank, or a lookup table.</param>
/// <param name="MaxTape">T, tape slots (0 without a tape).</param>
/// <param name="ReadBlocks">Encoder blocks READ runs before the ATR (the tape layer); the rest belong to ENCODE.</param>
/// <param name="PacksExactly">Packed ENCODE equals padded ENCODE: the head pools only a sample's own tokens (valid-only
/// mean or the CLS token). The reference pooling averages masked slots too, so its result depends on the padding.</param>
public sealed record ModelLayout(InputTokenKind InputKind, int InputTokens, int ClsTokens, int BankSize, BankForm Bank,
    int MaxTape, int ReadBlocks, bool PacksExactly)
{
    /// <summary>The bank is one learned [N, D] shared by every sample.</summary>
    public bool SharedBank => Bank == BankForm.Shared;

    /// <summary>n: tokens per sample after the embedding, CLS included.</summary>
    public int Tokens => InputTokens + ClsTokens;

    [Pure]
    public static ModelLayout Of(ModelSpec model, TaskSpec task)
    {
        var kind = KindOf(model, task);
        var cls = model.Encoder.Classifier == Classifier.Token ? 1 : 0;
        var tokens = kind switch
        {
            InputTokenKind.WholeSequence => 1,
            InputTokenKind.PerElement => ((ParityTaskSpec)task).SeqLen,
            _ => PatchCount(model.Encoder.PatchSize),
        };
        if (model is not AdaTapeModelSpec a) return new ModelLayout(kind, tokens, cls, 0, BankForm.None, 0, model.Encoder.Depth, false);
        var packs = cls == 1 || a.Tape.Pooling == TapePooling.ValidOnly;
        return new ModelLayout(kind, tokens, cls, BankSizeOf(a.Bank, task), BankFormOf(a.Bank), a.Tape.NumTapeTokens,
            a.Tape.AddTapeAtLayer, packs);
    }

    /// <summary>The tokenisation: patches for images; on parity AdaTape reads the whole sequence as one token (its
    /// information comes through the tape), the baselines one token per element.</summary>
    [Pure]
    public static InputTokenKind KindOf(ModelSpec model, TaskSpec task) => (model, task) switch
    {
        (_, FashionMnistTaskSpec) => InputTokenKind.Patches,
        (AdaTapeModelSpec, _) => InputTokenKind.WholeSequence,
        _ => InputTokenKind.PerElement,
    };

    /// <summary>Entries a sample's bank holds: the learned size, one per parity element, or one per fine image patch.</summary>
    [Pure]
    public static int BankSizeOf(BankSpec bank, TaskSpec task) => (bank, task) switch
    {
        (LearnableBankSpec l, _) => l.Size,
        (SequenceInputBankSpec, ParityTaskSpec p) => p.SeqLen,
        (ImageInputBankSpec i, _) => PatchCount(i.PatchSize),
        _ => throw new ArgumentOutOfRangeException(nameof(bank), bank, "bank kind does not fit the task"),
    };

    /// <summary>A learned bank is shared; a parity bank is a Dense over one-hot elements, so its entries are looked up.</summary>
    [Pure]
    public static BankForm BankFormOf(BankSpec bank) => bank switch
    {
        LearnableBankSpec => BankForm.Shared,
        SequenceInputBankSpec => BankForm.Lookup,
        _ => BankForm.PerSample,
    };

    /// <summary>Patches of side <paramref name="patch"/> in a Fashion-MNIST image.</summary>
    [Pure]
    public static int PatchCount(int patch) => (FashionMnistTaskSpec.ImageSize / patch) * (FashionMnistTaskSpec.ImageSize / patch);

    /// <summary>Input features per parity element: the one-hot channels of -1, 0, 1.</summary>
    public const int ParityChannels = Parity.Channels;
}
