using System.Buffers.Binary;
using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Specs;

namespace AdaTapeDml.Core.Tasks;

/// <summary>Fashion-MNIST from the gzip IDX files of the Debian package: images scaled to [0, 1] as [B, 1, 28, 28].</summary>
public sealed class FashionMnist : IDataSource
{
    private readonly float[] trainImages;
    private readonly int[] trainLabels;
    private readonly float[] testImages;
    private readonly int[] testLabels;
    private const int Pixels = FashionMnistTaskSpec.ImageSize * FashionMnistTaskSpec.ImageSize;

    private FashionMnist(float[] trainImages, int[] trainLabels, float[] testImages, int[] testLabels, int seed) =>
        (this.trainImages, this.trainLabels, this.testImages, this.testLabels, Seed) = (trainImages, trainLabels, testImages, testLabels, seed);

    /// <summary>Training-time augmentation (off by default; see <see cref="FashionMnistTaskSpec"/>).</summary>
    public int CropPadding { get; private init; }
    public bool FlipHorizontal { get; private init; }

    /// <summary>Training images.</summary>
    public int? TrainCount => trainLabels.Length;

    public int Seed { get; }
    public IReadOnlyList<long> InputShape { get; } = [1, FashionMnistTaskSpec.ImageSize, FashionMnistTaskSpec.ImageSize];
    public int EvalCount => testLabels.Length;

    /// <summary>Loads the four files from <paramref name="directory"/>; a missing or malformed file throws
    /// <see cref="InvalidDataException"/> naming it and the fix.</summary>
    public static FashionMnist Load(FashionMnistTaskSpec task, int seed) =>
        new(Load(task.DataDir, seed)) { CropPadding = task.CropPadding, FlipHorizontal = task.FlipHorizontal };

    /// <summary>The first <paramref name="train"/> training and <paramref name="test"/> test images only (small experiments and tests).</summary>
    public FashionMnist Subset(int train, int test)
    {
        (train, test) = (Math.Min(train, trainLabels.Length), Math.Min(test, testLabels.Length));
        return new FashionMnist(trainImages[..(train * Pixels)], trainLabels[..train], testImages[..(test * Pixels)], testLabels[..test], Seed)
            { CropPadding = CropPadding, FlipHorizontal = FlipHorizontal };
    }

    private FashionMnist(FashionMnist plain) : this(plain.trainImages, plain.trainLabels, plain.testImages, plain.testLabels, plain.Seed) { }

    public static FashionMnist Load(string directory, int seed)
    {
        if (!Directory.Exists(directory))
            throw new InvalidDataException($"Fashion-MNIST folder {directory} does not exist (install it: apt-get install dataset-fashion-mnist)");
        return new FashionMnist(
            ReadImages(Path.Combine(directory, "train-images-idx3-ubyte.gz")), ReadLabels(Path.Combine(directory, "train-labels-idx1-ubyte.gz")),
            ReadImages(Path.Combine(directory, "t10k-images-idx3-ubyte.gz")), ReadLabels(Path.Combine(directory, "t10k-labels-idx1-ubyte.gz")),
            seed);
    }

    /// <summary>Batch <paramref name="index"/> of a seeded epoch-wise shuffle of the training set.</summary>
    public LabeledBatch TrainBatch(long index, int batchSize)
    {
        var n = trainLabels.Length;
        var perEpoch = n / batchSize;
        var epoch = index / Math.Max(1, perEpoch);
        var order = Permutation(n, Mix(Seed, epoch, 0));
        var start = (int)(index % Math.Max(1, perEpoch)) * batchSize;
        var batch = Gather(trainImages, trainLabels, order.Skip(start).Take(batchSize).ToArray());
        if (CropPadding == 0 && !FlipHorizontal) return batch;
        var random = new Random(Mix(Seed, index, 1));                    // a function of the batch index: resumable
        return batch with { Inputs = ImageAugmentation.Apply(batch.Inputs, batch.Count, FashionMnistTaskSpec.ImageSize, CropPadding, FlipHorizontal, random) };
    }

    public IEnumerable<LabeledBatch> EvalBatches(int batchSize) =>
        Enumerable.Range(0, testLabels.Length).Chunk(batchSize).Select(chunk => Gather(testImages, testLabels, chunk));

    private static LabeledBatch Gather(float[] images, int[] labels, int[] rows)
    {
        var inputs = new float[rows.Length * Pixels];
        for (var i = 0; i < rows.Length; i++) Array.Copy(images, rows[i] * Pixels, inputs, i * Pixels, Pixels);
        return new LabeledBatch(inputs, [rows.Length, 1, FashionMnistTaskSpec.ImageSize, FashionMnistTaskSpec.ImageSize], rows.Select(r => labels[r]).ToArray());
    }

    /// <summary>A seed from (seed, index, stream) that is the same in every process (HashCode.Combine is randomised per
    /// process, so a resumed run would see other batches than an uninterrupted one).</summary>
    private static int Mix(int seed, long index, int stream)
    {
        var h = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL ^ (ulong)index * 0xBF58476D1CE4E5B9UL ^ (ulong)stream * 0x94D049BB133111EBUL);
        h = unchecked((h ^ (h >> 31)) * 0xD6E8FEB86659FD93UL);
        return (int)(h >> 33);
    }

    private static int[] Permutation(int n, int seed)
    {
        var order = Enumerable.Range(0, n).ToArray();
        new Random(seed).Shuffle(order);
        return order;
    }

    private static byte[] Decompress(string path)
    {
        if (!File.Exists(path)) throw new InvalidDataException($"Fashion-MNIST file {path} is missing (install it: apt-get install dataset-fashion-mnist)");
        return IdxImages.Gunzip(File.ReadAllBytes(path), path);
    }

    private static float[] ReadImages(string path) => IdxImages.Parse(Decompress(path), path);

    private static int[] ReadLabels(string path)
    {
        var bytes = Decompress(path);
        if (bytes.Length < 8 || BinaryPrimitives.ReadInt32BigEndian(bytes) != 2049)
            throw new InvalidDataException($"{path} is not an IDX label file (magic 2049 expected)");
        var count = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4));
        if (bytes.Length != 8 + count) throw new InvalidDataException($"{path}: expected {count} labels, found {bytes.Length - 8}");
        return bytes.AsSpan(8).ToArray().Select(b => (int)b).ToArray();
    }
}
