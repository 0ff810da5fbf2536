using System.Text.Json.Serialization;

namespace AdaTapeDml.Core.Specs;

/// <summary>Where tape tokens come from: a closed hierarchy, handled by one switch per consumer.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(LearnableBankSpec), "learnable")]
[JsonDerivedType(typeof(SequenceInputBankSpec), "sequenceInput")]
[JsonDerivedType(typeof(ImageInputBankSpec), "imageInput")]
public abstract record BankSpec;

/// <summary>A learned parameter [Size, D] shared by all samples (truncated normal, std 0.02).</summary>
/// <param name="Size">Bank entries. 64: several times the k candidates a step merges, so masking and exhaustion are rare.</param>
public sealed record LearnableBankSpec(int Size = 64) : BankSpec;

/// <summary>Input-driven bank for sequences: Dense(D) over each element's one-hot vector, one entry per element.</summary>
public sealed record SequenceInputBankSpec : BankSpec;

/// <summary>Input-driven bank for images: a finer patch embedding of the same image + position embedding + Dense(D).</summary>
/// <param name="PatchSize">Bank patch size. 2: finer than the default main patch 4, as the reference's 8 is finer than 16.</param>
public sealed record ImageInputBankSpec(int PatchSize = 2) : BankSpec;
