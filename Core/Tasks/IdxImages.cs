using System.Buffers.Binary;
using System.Diagnostics.Contracts;
using System.IO.Compression;
using AdaTapeDml.Core.Specs;

namespace AdaTapeDml.Core.Tasks;

/// <summary>IDX image files (magic 2051, big-endian, unsigned bytes), as Fashion-MNIST ships them, gzipped or not:
/// 28x28 images scaled to [0, 1], row-major [N, 1, 28, 28].</summary>
public static class IdxImages
{
    public const int Magic = 2051;
    private const int Pixels = FashionMnistTaskSpec.ImageSize * FashionMnistTaskSpec.ImageSize;

    /// <summary>Reads <paramref name="path"/> (gzip detected by its magic bytes); a missing, truncated or foreign file
    /// throws <see cref="InvalidDataException"/> naming the file and what was expected.</summary>
    public static float[] Load(string path)
    {
        if (!File.Exists(path)) throw new InvalidDataException($"{path} does not exist");
        var bytes = File.ReadAllBytes(path);
        return Parse(IsGzip(bytes) ? Gunzip(bytes, path) : bytes, path);
    }

    /// <summary>The images of an uncompressed IDX image file held in <paramref name="bytes"/>.</summary>
    [Pure]
    public static float[] Parse(ReadOnlySpan<byte> bytes, string source)
    {
        if (bytes.Length < 16 || BinaryPrimitives.ReadInt32BigEndian(bytes) != Magic)
            throw new InvalidDataException($"{source} is not an IDX image file (magic {Magic} expected)");
        var count = BinaryPrimitives.ReadInt32BigEndian(bytes[4..]);
        var (rows, cols) = (BinaryPrimitives.ReadInt32BigEndian(bytes[8..]), BinaryPrimitives.ReadInt32BigEndian(bytes[12..]));
        if (rows != FashionMnistTaskSpec.ImageSize || cols != FashionMnistTaskSpec.ImageSize || count < 0 || bytes.Length != 16 + (long)count * Pixels)
            throw new InvalidDataException($"{source}: expected {count} images of 28x28, found {rows}x{cols} and {bytes.Length - 16} bytes of pixels");
        var images = new float[count * Pixels];
        for (var i = 0; i < images.Length; i++) images[i] = bytes[16 + i] / 255f;
        return images;
    }

    /// <summary>Images in a buffer of <see cref="Pixels"/> floats each.</summary>
    [Pure]
    public static int CountOf(float[] images) => images.Length / Pixels;

    internal static bool IsGzip(ReadOnlySpan<byte> bytes) => bytes.Length >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b;

    internal static byte[] Gunzip(byte[] bytes, string source)
    {
        try
        {
            using var gz = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            using var memory = new MemoryStream();
            gz.CopyTo(memory);
            return memory.ToArray();
        }
        catch (InvalidDataException e) { throw new InvalidDataException($"{source} is not valid gzip ({e.Message})"); }
    }
}
