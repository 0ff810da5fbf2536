using AdaTapeDml.Core.Tasks;
using AdaTapeDml.Properties.Generators;

namespace AdaTapeDml.Properties.Core;

/// <summary>The Fashion-MNIST reader on small gzip IDX files written by the test (same format as the Debian package).</summary>
public sealed class FashionMnist_Reader : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("adatape-fmnist-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private void WriteSet(string prefix, int count, int seed) => IdxFiles.WriteSet(dir, prefix, count, seed);

    [Fact]
    public void Reads_images_scaled_to_unit_range_with_labels_and_shapes()
    {
        WriteSet("train", 30, 1);
        WriteSet("t10k", 12, 2);
        var data = FashionMnist.Load(dir, seed: 0);

        Assert.Equal(12, data.EvalCount);
        var batch = data.TrainBatch(0, 8);
        Assert.Equal(new long[] { 8, 1, 28, 28 }, batch.Shape);
        Assert.Equal(8 * 784, batch.Inputs.Length);
        Assert.All(batch.Inputs, v => Assert.InRange(v, 0f, 1f));
        Assert.All(batch.Labels, l => Assert.InRange(l, 0, 9));
        var eval = data.EvalBatches(5).ToList();
        Assert.Equal(new[] { 5, 5, 2 }, eval.Select(b => b.Count));
        Assert.Equal(Enumerable.Range(0, 12).Select(i => i % 10), eval.SelectMany(b => b.Labels));
    }

    [Fact]
    public void Training_batches_cover_the_epoch_without_repeats_and_are_reproducible()
    {
        WriteSet("train", 30, 1);
        WriteSet("t10k", 12, 2);
        var data = FashionMnist.Load(dir, seed: 4);
        var again = FashionMnist.Load(dir, seed: 4);

        var epoch = Enumerable.Range(0, 3).SelectMany(i => Rows(data.TrainBatch(i, 10))).ToList();
        Assert.Equal(30, epoch.Distinct().Count());                       // three batches of 10 = one epoch, each image once
        Assert.Equal(data.TrainBatch(5, 10).Inputs, again.TrainBatch(5, 10).Inputs);
    }

    [Fact]
    public void Missing_or_foreign_files_name_the_file_and_the_fix()
    {
        Assert.Contains("apt-get install dataset-fashion-mnist", Assert.Throws<InvalidDataException>(() => FashionMnist.Load(Path.Combine(dir, "none"), 0)).Message);
        WriteSet("train", 3, 1);
        Assert.Contains("t10k-images-idx3-ubyte.gz", Assert.Throws<InvalidDataException>(() => FashionMnist.Load(dir, 0)).Message);
        WriteSet("t10k", 3, 1);
        File.WriteAllBytes(Path.Combine(dir, "t10k-labels-idx1-ubyte.gz"), [1, 2, 3]);
        Assert.Contains("not valid gzip", Assert.Throws<InvalidDataException>(() => FashionMnist.Load(dir, 0)).Message);
    }

    private static IEnumerable<string> Rows(global::AdaTapeDml.Core.Contracts.LabeledBatch batch) =>
        batch.Inputs.Chunk(784).Select(r => Convert.ToBase64String(r.SelectMany(BitConverter.GetBytes).ToArray()));
}
