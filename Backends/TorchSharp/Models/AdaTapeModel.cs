using AdaTapeDml.Core.Layout;
using AdaTapeDml.Backends.TorchSharp.Atr;
using AdaTapeDml.Backends.TorchSharp.Modules;
using AdaTapeDml.Core.Atr;
using AdaTapeDml.Core.Specs;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AdaTapeDml.Backends.TorchSharp.Models;

/// <summary>AdaTape: embedding -> blocks before the tape layer -> ATR reads a tape from the bank -> tape GLU MLP ->
/// [tokens ; tape] through the remaining blocks (unread slots masked as keys) -> pooled head.
/// Split in two stages, READ and ENCODE, so inference can run each sample at its own tape length.</summary>
public sealed class AdaTapeModel : ClassifierModel
{
    private readonly InputEmbedding embedding;
    private readonly TapeBank bank;
    private readonly LayerNorm bank_norm;
    private readonly GluMlp? tt_mlp;
    private readonly ModuleList<EncoderBlock> blocks;
    private readonly ClassifierHead head;
    private readonly AdaTapeModelSpec spec;
    private readonly AtrConfig atr;

    public AdaTapeModel(AdaTapeModelSpec spec, TaskSpec task) : base(nameof(AdaTapeModel))
    {
        var e = spec.Encoder;
        var tokens = ModelLayout.KindOf(spec, task);
        embedding = new InputEmbedding(tokens, e, task);
        bank = new TapeBank(spec.Bank, e.Width);
        bank_norm = nn.LayerNorm(e.Width, Core.Numerics.LayerNormParams.Epsilon);
        tt_mlp = spec.Tape.TtMlpDim > 0 ? new GluMlp(e.Width, spec.Tape.TtMlpDim) : null;
        blocks = nn.ModuleList(Enumerable.Range(0, e.Depth).Select(l =>
            new EncoderBlock(e.Width, e.Heads, e.MlpDim, e.Dropout, l >= spec.Tape.AddTapeAtLayer ? spec.Tape.EncTtMlpDim : 0)).ToArray());
        head = new ClassifierHead(e.Width, task.NumClasses, e.Classifier);
        (this.spec, atr) = (spec, AtrConfig.From(spec.Tape, e.Width));
        RegisterComponents();
    }

    public override double AuxLossWeight => spec.Tape.ActLossWeight;

    /// <summary>The ATR knobs in use; <see cref="WithAtr"/> changes them at inference (the compute knob).</summary>
    public AtrConfig Atr => atr;

    /// <summary>READ: everything up to and including the ATR's tape tokens (training noise and bank masking only in
    /// training mode), over the batch's longest tape, or over all T slots when <paramref name="allSlots"/> is set (padded
    /// execution, as the reference's static shapes; also implied by the reference pooling). The tape MLP belongs to
    /// ENCODE, so an elastic ENCODE runs it over each sample's own length only.</summary>
    public TapeRead Read(Tensor input, AtrConfig? config = null, bool allSlots = false)
    {
        var (x, query, entries) = ReadInputs(input);
        var (noise, hidden) = training ? Perturbation(query, entries) : (null, null);
        var read = TorchAtr.Read(query, entries, bank_norm.weight!, bank_norm.bias!, config ?? TrainingAtr(), noise, hidden);
        var slots = allSlots || spec.Tape.Pooling == TapePooling.Reference ? read.TapeTokens.shape[1] : read.Lengths.max().item<long>();
        var tokens = read.TapeTokens[.., ..(int)slots];                                          // only slots some sample uses [B, L, D]
        return new TapeRead(x, tokens, read.Lengths, read);
    }

    /// <summary>What the ATR reads from: the hidden states after the blocks before the tape layer [B, n, D], the pooled
    /// query [B, D] and the bank entries ([N, D] shared, or [B, N, D]), both before the shared LayerNorm.</summary>
    public (Tensor Hidden, Tensor Query, Tensor Bank) ReadInputs(Tensor input)
    {
        var (x, query) = ReadQuery(input);
        return (x, query, bank.forward(input));
    }

    /// <summary><see cref="ReadInputs"/> without the bank: for a host ATR that has the bank already (shared, or a lookup).</summary>
    public (Tensor Hidden, Tensor Query) ReadQuery(Tensor input)
    {
        var x = embedding.forward(input);                                                        // [B, n, D]
        for (var l = 0; l < spec.Tape.AddTapeAtLayer; l++) x = blocks[l].forward(x, null, 0);
        // The CLS token, or the mean over tokens; over a lone token (parity) that mean is the token itself, bit for bit.
        var query = spec.Encoder.Classifier == Classifier.Token || x.shape[1] == 1 ? x.select(1, 0) : x.mean([1]); // [B, D]
        return (x, query);
    }

    /// <summary>The bank's rows as the host ATR takes them: the learned [N, D], or a lookup bank's table
    /// (<see cref="Core.Layout.LookupBank"/>); null for a bank built from each input.</summary>
    public float[]? HostBankRows() => bank.HostRows();

    /// <summary>The LayerNorm shared by the query and the bank, as the Core ATR takes it.</summary>
    public Core.Numerics.LayerNormParams BankNorm() =>
        new(bank_norm.weight!.detach().cpu().data<float>().ToArray(), bank_norm.bias!.detach().cpu().data<float>().ToArray());

    /// <summary>Packed ENCODE: the tape MLP over the packed tape rows, then the remaining blocks and the head over
    /// [hidden rows ; tape rows] as <paramref name="packed"/> lays them out; logits [B, classes]. Equals
    /// <see cref="Encode"/> of each sample at its own length (valid-only or token pooling).</summary>
    /// <param name="hidden">[B, n, D].</param>
    /// <param name="tape">[tape rows, D] the packed ATR tokens (before the tape MLP).</param>
    public Tensor EncodePacked(Tensor hidden, Tensor tape, PackedTokens packed)
    {
        if (tt_mlp is not null) tape = tt_mlp.forward(tape);
        var x = cat([hidden.reshape(-1, spec.Encoder.Width), tape], 0);                           // [rows, D]
        for (var l = spec.Tape.AddTapeAtLayer; l < spec.Encoder.Depth; l++) x = blocks[l].ForwardPacked(x, packed);
        return head.ForwardPacked(x, packed);
    }

    /// <summary>ENCODE: the tape MLP over the L slots of <paramref name="tape"/> (the ATR's tokens), then the remaining
    /// blocks over [hidden ; tape], where slot j of sample b is valid iff j &lt; lengths[b]; returns logits [B, classes].</summary>
    public Tensor Encode(Tensor hidden, Tensor tape, Tensor lengths)
    {
        if (tt_mlp is not null) tape = tt_mlp.forward(tape);                                       // [B, L, D]
        var (b, n, slots) = (hidden.shape[0], hidden.shape[1], tape.shape[1]);
        using var slotCount = slots.ToScalar();
        var slotValid = arange(KeptScalars.Zero, slotCount, KeptScalars.One, device: hidden.device).unsqueeze(0) < lengths.unsqueeze(1); // [B, L]
        var valid = cat([ones(b, n, dtype: ScalarType.Bool, device: hidden.device), slotValid], 1); // [B, n + L]
        Tensor? keyBias = slotValid.all().item<bool>()
            ? null
            : zeros(b, 1, 1, n + slots, device: hidden.device).masked_fill(valid.logical_not().view(b, 1, 1, -1), KeptScalars.NegativeInfinity);
        var x = cat([hidden, tape], 1);                                                            // [B, n + L, D]
        for (var l = spec.Tape.AddTapeAtLayer; l < spec.Encoder.Depth; l++) x = blocks[l].forward(x, keyBias, slots);
        return head.forward(x, spec.Tape.Pooling == TapePooling.ValidOnly ? valid : null);
    }

    /// <summary>READ then ENCODE over the batch's longest tape (all T slots with the reference pooling).</summary>
    public override ModelOutput forward(Tensor input) => Forward(input, null);

    /// <summary>READ with <paramref name="config"/> (the compute knob; null = as trained) then ENCODE, over the batch's
    /// longest tape or, with <paramref name="allSlots"/>, over all T slots (padded execution).</summary>
    public ModelOutput Forward(Tensor input, AtrConfig? config, bool allSlots = false)
    {
        var read = Read(input, config, allSlots);
        var logits = Encode(read.Hidden, read.Tape, read.Lengths);
        return new ModelOutput(logits, read.Atr.Loss, read.Lengths);
    }

    /// <summary>The ATR as trained: in training mode with <see cref="TapeSpec.TrainActEpsilonMax"/>, halting at a threshold
    /// drawn uniformly from [actEpsilon, that] (torch's seeded generator) with k as at actEpsilon; else as specified.</summary>
    private AtrConfig TrainingAtr()
    {
        if (!training || spec.Tape.TrainActEpsilonMax is not { } most) return atr;
        var u = rand(1, generator: null).item<float>();
        return atr.HaltingAt(atr.ActEpsilon + u * (most - atr.ActEpsilon));
    }

    /// <summary>Training-time query noise and bank masking, from torch's seeded generator.</summary>
    private (Tensor? Noise, Tensor? Hidden) Perturbation(Tensor query, Tensor entries)
    {
        var t = spec.Tape;
        using var noiseStd = t.QueryNoise.ToScalar();
        using var maskP = t.BankMaskP.ToScalar();
        var noise = t.QueryNoise > 0 ? randn_like(query).mul(noiseStd) : null;
        var bankSize = entries.shape[^2];
        var hidden = t.BankMaskP > 0 ? rand(query.shape[0], bankSize, device: query.device).lt(maskP) : null;
        return (noise, hidden);
    }
}
