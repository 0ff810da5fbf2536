using AdaTapeDml.Core.Layout;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Core.Tasks;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AdaTapeDml.Backends.TorchSharp.Modules;

/// <summary>The tape bank of each <see cref="BankSpec"/> kind: a learned [Size, D] parameter, Dense(D) over each
/// parity element's one-hot, or a finer patch embedding of the image + position embedding + Dense(D).</summary>
public sealed class TapeBank : nn.Module<Tensor, Tensor>
{
    private readonly Parameter? tape_tokens;
    private readonly Linear? pre_bank;
    private readonly Conv2d? embedding_bank;
    private readonly Parameter? pos_embedding_bank;

    public TapeBank(BankSpec bank, long width) : base(nameof(TapeBank))
    {
        switch (bank)
        {
            case LearnableBankSpec learnable:
                tape_tokens = Init.TruncatedNormal(learnable.Size, width);
                break;
            case SequenceInputBankSpec:
                pre_bank = Init.Dense(Parity.Channels, width);
                break;
            case ImageInputBankSpec image:
                var side = FashionMnistTaskSpec.ImageSize / image.PatchSize;
                embedding_bank = nn.Conv2d(1, width, image.PatchSize, stride: image.PatchSize);
                pos_embedding_bank = Init.Normal(1, side * side, width);
                pre_bank = Init.Dense(width, width);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(bank), bank, "unknown bank kind");
        }
        RegisterComponents();
    }

    /// <summary>[N, D] a learned bank's rows, or [3, D] a parity bank's lookup table (<see cref="LookupBank"/>), on the
    /// host; null for the image bank, which depends on each input.</summary>
    public float[]? HostRows()
    {
        if (tape_tokens is not null) return Host(tape_tokens);
        if (embedding_bank is not null) return null;
        return LookupBank.Table(Host(pre_bank!.weight!), Host(pre_bank.bias!));
    }

    private static float[] Host(Tensor t) => t.detach().cpu().contiguous().data<float>().ToArray();

    /// <returns>[N, D] for a learnable bank (shared), else [B, N, D].</returns>
    public override Tensor forward(Tensor input)
    {
        if (tape_tokens is not null) return tape_tokens;
        if (embedding_bank is null) return pre_bank!.forward(input);                                   // [B, L, D]
        var patches = embedding_bank.forward(input).flatten(2).transpose(1, 2).Plus(pos_embedding_bank!);  // [B, M, D]
        return pre_bank!.forward(patches);
    }
}
