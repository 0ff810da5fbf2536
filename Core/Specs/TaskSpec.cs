using System.Text.Json.Serialization;

namespace AdaTapeDml.Core.Specs;

/// <summary>The learning task: closed hierarchy.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(ParityTaskSpec), "parity")]
[JsonDerivedType(typeof(FashionMnistTaskSpec), "fashionMnist")]
public abstract record TaskSpec
{
    /// <summary>Number of output classes.</summary>
    [JsonIgnore] public abstract int NumClasses { get; }
}

/// <summary>Parity of the count of +1 in a sequence over {+1, 0, -1} (the reference generator).</summary>
/// <param name="SeqLen">Sequence length L. 16: solved within minutes on 2 cores (the reference default is 32).</param>
/// <param name="EvalExamples">Held-out examples, excluded from the training stream. 6400: the reference eval set size.</param>
public sealed record ParityTaskSpec(int SeqLen = 16, int EvalExamples = 6400) : TaskSpec
{
    [JsonIgnore] public override int NumClasses => 2;
}

/// <summary>Fashion-MNIST from gzip IDX files (Debian package dataset-fashion-mnist).</summary>
/// <param name="DataDir">Folder holding {train,t10k}-{images-idx3,labels-idx1}-ubyte.gz. The Debian package's path.</param>
/// <param name="CropPadding">Training images are zero-padded by this many pixels and cropped back to 28x28 at a random
/// offset; 0 = off. 0: the stored images as they are (the image experiment sets 2, a shift of up to 2 pixels).</param>
/// <param name="FlipHorizontal">Training images are mirrored left-right with probability 1/2. false (the image experiment
/// sets true: clothes are left-right symmetric, so the label stays right).</param>
public sealed record FashionMnistTaskSpec(string DataDir = FashionMnistTaskSpec.DebianDataDir, int CropPadding = 0, bool FlipHorizontal = false) : TaskSpec
{
    public const string DebianDataDir = "/usr/share/datasets/fashion-mnist";
    public const int ImageSize = 28;
    [JsonIgnore] public override int NumClasses => 10;
}
