using AdaTapeDml.Core.Specs;
using AdaTapeDml.Core.Tasks;
using AdaTapeDml.Properties.Generators;

namespace AdaTapeDml.Properties.Core;

/// <summary>Random crop (shift with zero padding) and left-right flip: shape and labels kept, seeded, and exactly the
/// pixel moves they describe.</summary>
public sealed class ImageAugmentation_Shifts : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("adatape-augment-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static float[] Ramp(int count, int size) => Enumerable.Range(0, count * size * size).Select(i => 1 + i % (size * size) + 1000f * (i / (size * size))).ToArray();

    [Fact]
    public void Without_padding_or_flip_images_are_unchanged()
    {
        var images = Ramp(3, 5);
        Assert.Equal(images, ImageAugmentation.Apply(images, 3, 5, padding: 0, flip: false, new Random(1)));
    }

    [Fact]
    public void Each_image_is_a_shift_of_at_most_the_padding_possibly_mirrored_with_zeros_where_it_left_the_frame()
    {
        const int size = 6, padding = 2, count = 40;
        var images = Ramp(count, size);
        var augmented = ImageAugmentation.Apply(images, count, size, padding, flip: true, new Random(7));

        Assert.Equal(images.Length, augmented.Length);
        var moves = new HashSet<(int, int, bool)>();
        for (var i = 0; i < count; i++)
        {
            var source = images.AsSpan(i * size * size, size * size).ToArray();
            var target = augmented.AsSpan(i * size * size, size * size).ToArray();
            var explained = Enumerable.Range(-padding, 2 * padding + 1).SelectMany(dy => Enumerable.Range(-padding, 2 * padding + 1).SelectMany(dx => new[] { (dy, dx, false), (dy, dx, true) }))
                .Where(m => Moved(source, size, m.dy, m.dx, m.Item3).SequenceEqual(target)).ToList();
            Assert.NotEmpty(explained);                                                        // some shift within the padding (and mirror) made it
            moves.Add(explained[0]);
        }
        Assert.True(moves.Count > 5, $"only {moves.Count} distinct moves in {count} images");  // the moves are drawn, not fixed
    }

    [Fact]
    public void Training_batches_keep_shape_and_labels_and_repeat_for_a_seed()
    {
        IdxFiles.WriteDataset(dir, train: 40, test: 10);
        var plain = FashionMnist.Load(new FashionMnistTaskSpec(dir), seed: 5);
        var augmented = FashionMnist.Load(new FashionMnistTaskSpec(dir, CropPadding: 2, FlipHorizontal: true), seed: 5);
        var again = FashionMnist.Load(new FashionMnistTaskSpec(dir, CropPadding: 2, FlipHorizontal: true), seed: 5);

        for (var index = 0; index < 4; index++)
        {
            var (p, a, b) = (plain.TrainBatch(index, 16), augmented.TrainBatch(index, 16), again.TrainBatch(index, 16));
            Assert.Equal(p.Shape, a.Shape);
            Assert.Equal(p.Labels, a.Labels);
            Assert.NotEqual(p.Inputs, a.Inputs);
            Assert.Equal(a.Inputs, b.Inputs);
        }
        Assert.Equal(plain.EvalBatches(10).Single().Inputs, augmented.EvalBatches(10).Single().Inputs);   // test images are never augmented
    }

    private static float[] Moved(float[] source, int size, int dy, int dx, bool mirror)
    {
        var result = new float[size * size];
        for (var y = 0; y < size; y++)
        for (var x = 0; x < size; x++)
        {
            var (sy, sx) = (y + dy, (mirror ? size - 1 - x : x) + dx);
            result[y * size + x] = sy >= 0 && sy < size && sx >= 0 && sx < size ? source[sy * size + sx] : 0;
        }
        return result;
    }
}
