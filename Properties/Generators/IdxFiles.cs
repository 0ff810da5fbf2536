using System.Buffers.Binary;
using System.IO.Compression;

namespace AdaTapeDml.Properties.Generators;

/// <summary>Writes small Fashion-MNIST-format gzip IDX files (random pixels, labels i % 10) for tests, optionally malformed.</summary>
public static class IdxFiles
{
    /// <summary>Writes {prefix}-images-idx3-ubyte.gz and {prefix}-labels-idx1-ubyte.gz into <paramref name="dir"/>.</summary>
    /// <param name="size">Image rows and columns (28 for a valid file).</param>
    /// <param name="dropBytes">Bytes cut from the end of the image file (a truncated download).</param>
    public static void WriteSet(string dir, string prefix, int count, int seed, int size = 28, int dropBytes = 0)
    {
        var random = new Random(seed);
        var images = new byte[16 + count * size * size];
        BinaryPrimitives.WriteInt32BigEndian(images, 2051);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(4), count);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(8), size);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(12), size);
        random.NextBytes(images.AsSpan(16));
        var labels = new byte[8 + count];
        BinaryPrimitives.WriteInt32BigEndian(labels, 2049);
        BinaryPrimitives.WriteInt32BigEndian(labels.AsSpan(4), count);
        for (var i = 0; i < count; i++) labels[8 + i] = (byte)(i % 10);
        Gzip(Path.Combine(dir, $"{prefix}-images-idx3-ubyte.gz"), images[..(images.Length - dropBytes)]);
        Gzip(Path.Combine(dir, $"{prefix}-labels-idx1-ubyte.gz"), labels);
    }

    /// <summary>A complete train (<paramref name="train"/> images) and test (<paramref name="test"/> images) set.</summary>
    public static void WriteDataset(string dir, int train, int test)
    {
        WriteSet(dir, "train", train, 1);
        WriteSet(dir, "t10k", test, 2);
    }

    private static void Gzip(string path, byte[] bytes)
    {
        using var gz = new GZipStream(File.Create(path), CompressionLevel.Fastest);
        gz.Write(bytes);
    }
}
