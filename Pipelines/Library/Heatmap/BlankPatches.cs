using System.Diagnostics.Contracts;

namespace AdaTapeDml.Pipelines.Heatmap;

/// <summary>Which fine patches of an image are blank (every pixel exactly 0, the background of Fashion-MNIST after
/// scaling to [0, 1]): such a bank entry carries no content, only what the model adds to every patch (its position
/// embedding and bias), so reads of it say the tape reads constants rather than the image.</summary>
public static class BlankPatches
{
    /// <summary>Per fine patch, row-major over the grid, whether it is blank.</summary>
    /// <param name="image">One image, [size, size] row-major (a leading channel of 1 changes nothing).</param>
    /// <param name="size">Image side in pixels.</param>
    /// <param name="patch">Fine patch side in pixels; divides <paramref name="size"/>.</param>
    [Pure]
    public static bool[] Of(ReadOnlySpan<float> image, int size, int patch)
    {
        if (patch < 1 || size % patch != 0) throw new ArgumentException($"a patch of {patch} pixels does not tile a side of {size}", nameof(patch));
        if (image.Length != size * size) throw new ArgumentException($"expected {size} x {size} pixels, got {image.Length}", nameof(image));
        var columns = size / patch;
        var blank = new bool[columns * columns];
        for (var r = 0; r < columns; r++)
            for (var c = 0; c < columns; c++)
            {
                var empty = true;
                for (var y = r * patch; y < (r + 1) * patch && empty; y++)
                    empty = !image.Slice(y * size + c * patch, patch).ContainsAnyExcept(0f);
                blank[r * columns + c] = empty;
            }
        return blank;
    }
}
