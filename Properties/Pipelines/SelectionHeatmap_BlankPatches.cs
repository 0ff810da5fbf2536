using AdaTapeDml.Backends.TorchSharp.Inference;
using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Pipelines.Heatmap;

namespace AdaTapeDml.Properties.Pipelines;

/// <summary>Blank fine patches (every pixel 0) are found exactly, and the heatmap's blank shares are the reads that
/// went to entries blank in their own image against the blank entries offered.</summary>
public sealed class SelectionHeatmap_BlankPatches
{
    [Fact]
    public void A_patch_is_blank_unless_one_of_its_pixels_is_not_zero()
    {
        const int size = 8, patch = 4;                                                  // a 2 x 2 grid
        var image = new float[size * size];
        image[7 * size + 3] = 1e-7f;                                                    // the last pixel of patch (1, 0)
        image[0 * size + 4] = -0.5f;                                                    // the first pixel of patch (0, 1)
        Assert.Equal([true, false, false, true], BlankPatches.Of(image, size, patch));
        Assert.Equal([false], BlankPatches.Of(Enumerable.Repeat(0f, 63).Append(float.NaN).ToArray(), size, size));
        Assert.All(BlankPatches.Of(new float[size * size], size, 1), Assert.True);     // width 1: every pixel its own patch
        Assert.Throws<ArgumentException>(() => BlankPatches.Of(image, size, 3));
        Assert.Throws<ArgumentException>(() => BlankPatches.Of(image.AsSpan(1), size, patch));
    }

    [Theory]
    [InlineData(HeatmapWeighting.Count)]
    [InlineData(HeatmapWeighting.Weight)]
    public void Shares_count_reads_of_entries_blank_in_their_own_sample(HeatmapWeighting weighting)
    {
        var heatmap = new SelectionHeatmap(new BankGrid(2, 2, "fine patch"), classes: 2, weighting);
        // Sample 0: entries 0 and 1 blank; it reads 0 (weight 0.75) and 2 (0.25), then 1 (1.0).
        heatmap.Add([new TapeReadStep([0, 2], [0.75f, 0.25f]), new TapeReadStep([1], [1f])], label: 0, blank: [true, true, false, false]);
        // Sample 1: only entry 3 blank; it reads 0 (1.0). Sample 2 has no mask and is left out of the shares.
        heatmap.Add([new TapeReadStep([0], [1f])], label: 1, blank: [false, false, false, true]);
        heatmap.Add([new TapeReadStep([3], [1f])], label: 1);

        var (ofReads, ofEntries) = heatmap.BlankShares!.Value;
        Assert.Equal(weighting == HeatmapWeighting.Count ? 2.0 / 4 : 1.75 / 3, ofReads, 12);
        Assert.Equal(3.0 / 8, ofEntries, 12);
        Assert.Equal(2, heatmap.SamplesWithBlanks);
        Assert.Equal(3, heatmap.Samples);
        Assert.Throws<ArgumentException>(() => heatmap.Add([], label: 0, blank: [true]));
    }

    [Fact]
    public void No_mask_no_shares() =>
        Assert.Null(new SelectionHeatmap(new BankGrid(1, 3, "sequence position"), 2, HeatmapWeighting.Count).BlankShares);

    /// <summary>On a real image model the shares equal a count made apart from the session's own traces and the
    /// images' pixels; images whose lower half is black give blank patches to read.</summary>
    [Fact]
    public void Shares_over_a_model_equal_a_count_from_its_traces()
    {
        const int images = 12, side = FashionMnistTaskSpec.ImageSize;
        var random = new Random(5);
        var inputs = new float[images * side * side];
        for (var i = 0; i < images; i++)
            for (var p = 0; p < side * side / 2; p++) inputs[i * side * side + p] = (float)random.NextDouble();
        using var session = new TorchInferenceSession(SavedTinyModels.ImageBank, traceReads: true);
        var patch = ((ImageInputBankSpec)((AdaTapeModelSpec)session.Spec.Model).Bank).PatchSize;
        var heatmap = SelectionHeatmap.Compute(session, inputs, images, labels: null, batchSize: images);   // the same READ as below

        var trace = session.Read(inputs, images).Trace!;
        var (blankReads, reads, blankEntries) = (0, 0, 0);
        var columns = side / patch;
        for (var i = 0; i < images; i++)
        {
            bool Blank(int entry) => entry / columns * patch >= side / 2;                   // patch rows wholly in the black half
            blankEntries += Enumerable.Range(0, columns * columns).Count(Blank);
            foreach (var step in trace[i])
            {
                reads += step.Indices.Length;
                blankReads += step.Indices.Count(Blank);
            }
        }
        Assert.True(reads > 0);
        var (ofReads, ofEntries) = heatmap.BlankShares!.Value;
        Assert.Equal((double)blankReads / reads, ofReads, 12);
        Assert.Equal((double)blankEntries / (images * columns * columns), ofEntries, 12);
    }
}
