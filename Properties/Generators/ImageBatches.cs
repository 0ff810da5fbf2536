using AdaTapeDml.Core.Specs;
using FsCheck;
using FsCheck.Fluent;

namespace AdaTapeDml.Properties.Generators;

/// <summary>Batches of 28 x 28 single-channel images with pixel values on a grid of quarters in [0, 1] (finite, with exact
/// repeats), about a third of the rows copies of others.</summary>
public static class ImageBatches
{
    public const int Pixels = FashionMnistTaskSpec.ImageSize * FashionMnistTaskSpec.ImageSize;

    private static readonly Gen<float> Pixel = Gen.Choose(0, 4).Select(i => i / 4f);

    public static Gen<float[][]> Batch(int count) =>
        from rows in Gen.ArrayOf(Gen.ArrayOf(Pixel, Pixels), count)
        from copies in Gen.ArrayOf(Gen.Choose(0, count - 1).Two(), count / 3)
        select ParityInputs.WithCopies(rows, copies);
}
