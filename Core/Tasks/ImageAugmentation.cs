using System.Diagnostics.Contracts;

namespace AdaTapeDml.Core.Tasks;

/// <summary>Light augmentation of square grey images: a random crop of the zero-padded image (a shift of up to
/// <c>padding</c> pixels each way) and an optional left-right mirror. Pure: the same generator state gives the same images.</summary>
public static class ImageAugmentation
{
    /// <summary>A new buffer holding <paramref name="count"/> augmented images of <paramref name="size"/>x<paramref name="size"/>
    /// pixels (row-major, one channel), each with its own shift and mirror drawn from <paramref name="random"/>.</summary>
    [Pure]
    public static float[] Apply(float[] images, int count, int size, int padding, bool flip, Random random)
    {
        var pixels = size * size;
        var result = new float[images.Length];
        for (var i = 0; i < count; i++)
        {
            var dy = padding > 0 ? random.Next(-padding, padding + 1) : 0;   // crop offset in the padded image, minus the pad
            var dx = padding > 0 ? random.Next(-padding, padding + 1) : 0;
            var mirror = flip && random.Next(2) == 1;
            var source = images.AsSpan(i * pixels, pixels);
            var target = result.AsSpan(i * pixels, pixels);
            for (var y = 0; y < size; y++)
            for (var x = 0; x < size; x++)
            {
                var (sy, sx) = (y + dy, (mirror ? size - 1 - x : x) + dx);
                target[y * size + x] = sy >= 0 && sy < size && sx >= 0 && sx < size ? source[sy * size + sx] : 0f;   // outside: the zero pad
            }
        }
        return result;
    }
}
