using System.Text.Json.Serialization;

namespace AdaTapeDml.Core.Specs;

/// <summary>How the encoder's output sequence becomes one vector for the classifier head.</summary>
public enum Classifier
{
    /// <summary>Mean over the (valid) tokens: the reference default ('gap').</summary>
    [JsonStringEnumMemberName("gap")] Gap,
    /// <summary>A learned CLS token prepended to the sequence; its final state is classified.</summary>
    [JsonStringEnumMemberName("token")] Token,
}

/// <summary>The Transformer encoder shared by every model kind.</summary>
/// <param name="Width">Model width D. 128: the parity models of this project train to 99% at this width on 2 cores.</param>
/// <param name="Depth">Number of encoder blocks. 4: enough for the tape to be added after block 0 and still be processed by 3 blocks.</param>
/// <param name="Heads">Attention heads; Width must divide by it. 4: head width 32, the key width of ATR when splitTt = heads.</param>
/// <param name="MlpDim">Hidden width of the GELU feed-forward network. 4 x width, as in ViT.</param>
/// <param name="Dropout">Dropout rate after attention and MLP. 0: parity is noise-free and data is unlimited.</param>
/// <param name="Classifier">Pooling for the head. gap: the reference default.</param>
/// <param name="PatchSize">Image patch size of the ViT stem (image tasks only). 4: a 28x28 image becomes 7x7 = 49 tokens.</param>
public sealed record EncoderSpec(
    int Width = 128,
    int Depth = 4,
    int Heads = 4,
    int MlpDim = 512,
    double Dropout = 0.0,
    Classifier Classifier = Classifier.Gap,
    int PatchSize = 4);
