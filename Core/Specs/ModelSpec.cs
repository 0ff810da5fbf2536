using System.Text.Json.Serialization;

namespace AdaTapeDml.Core.Specs;

/// <summary>A model to build: AdaTape or one of the paper's baselines. Closed hierarchy.
/// Nested defaults are taken in the constructors (see <see cref="RunSpec"/>).</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(AdaTapeModelSpec), ModelKinds.AdaTape)]
[JsonDerivedType(typeof(TransformerModelSpec), ModelKinds.Transformer)]
[JsonDerivedType(typeof(UniversalTransformerModelSpec), ModelKinds.UniversalTransformer)]
[JsonDerivedType(typeof(AvitModelSpec), ModelKinds.Avit)]
public abstract record ModelSpec(EncoderSpec? Encoder)
{
    /// <summary>The encoder every model kind has.</summary>
    public EncoderSpec Encoder { get; init; } = Encoder ?? new EncoderSpec();
}

/// <summary>AdaTape: an encoder whose input is extended by adaptively read tape tokens.</summary>
/// <param name="Encoder">The encoder.</param>
/// <param name="Tape">ATR knobs.</param>
/// <param name="Bank">Where tape tokens come from. Default: the input-driven sequence bank of the reference parity model.</param>
public sealed record AdaTapeModelSpec(EncoderSpec? Encoder = null, TapeSpec? Tape = null, BankSpec? Bank = null) : ModelSpec(Encoder)
{
    public TapeSpec Tape { get; init; } = Tape ?? new TapeSpec();
    public BankSpec Bank { get; init; } = Bank ?? new SequenceInputBankSpec();
}

/// <summary>Plain Transformer (ViT on images) of the same shape, without a tape.</summary>
public sealed record TransformerModelSpec(EncoderSpec? Encoder = null) : ModelSpec(Encoder);

/// <summary>Universal Transformer: one block shared across depth, applied up to MaxSteps times with ACT halting.</summary>
/// <param name="Encoder">The encoder; its depth is ignored (the block is shared and applied up to act.maxSteps times).</param>
/// <param name="Act">ACT halting knobs (the reference UT config).</param>
public sealed record UniversalTransformerModelSpec(EncoderSpec? Encoder = null, ActHaltingSpec? Act = null) : ModelSpec(Encoder)
{
    public ActHaltingSpec Act { get; init; } = Act ?? new ActHaltingSpec();
}

/// <summary>A-ViT (Yin et al. 2022): the ViT encoder in which each token halts at its own depth; no parameters are added.
/// The class token of the halting-weighted output is classified, so the encoder's classifier must be 'token'.</summary>
/// <param name="Encoder">The encoder (ViT stem; classifier token).</param>
/// <param name="Halting">Token halting knobs, ponder loss and distributional prior.</param>
public sealed record AvitModelSpec(EncoderSpec? Encoder = null, TokenHaltingSpec? Halting = null) : ModelSpec(Encoder ?? new EncoderSpec(Classifier: Classifier.Token))
{
    public TokenHaltingSpec Halting { get; init; } = Halting ?? new TokenHaltingSpec();
}
