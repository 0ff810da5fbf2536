using AdaTapeDml.Backends.TorchSharp.Inference;
using AdaTapeDml.Backends.TorchSharp.Models;
using AdaTapeDml.Backends.TorchSharp.Training;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Pipelines.Heatmap;
using AdaTapeDml.Properties.Backends;
using static TorchSharp.torch;

namespace AdaTapeDml.Properties.Pipelines;

/// <summary>The heatmap comes from real reads: in an image model whose input-driven bank is made so that its centre
/// patches resemble the query (the bank's patch convolution zeroed, its Dense the identity, so entry i is its position
/// embedding; the centre embeddings set to the mean pre-LayerNorm query of the images, the others random), the centre
/// cells get the highest counts; with the centre embeddings made random like the rest, they do not stand out.</summary>
public sealed class SelectionHeatmap_CentreEntries
{
    private const int Images = 16, Side = 14;                           // bank patches of 2 pixels: a 14 x 14 grid

    private static readonly RunSpec Spec = SavedTinyModels.ImageSpec with
    {
        Name = "tiny-centre-bank",
        // T = 4, tau = 2: k = 2 candidates, at most 4 steps = 8 reads per image out of 196 entries.
        Model = new AdaTapeModelSpec(TinySpecs.Encoder with { PatchSize = 7 },
            new TapeSpec(NumTapeTokens: 4, ActEpsilon: 2.0, SplitTt: 2, TtMlpDim: 16), new ImageInputBankSpec(PatchSize: 2)),
    };

    /// <summary>The central 2 x 4 patches: rows 6-7, columns 5-8.</summary>
    private static readonly int[] Centre = [.. from r in new[] { 6, 7 } from c in new[] { 5, 6, 7, 8 } select r * Side + c];

    [Fact]
    public void Centre_entries_made_like_the_query_are_read_most()
    {
        var images = RandomImages(seed: 2);
        var heatmap = HeatmapOf(images, centreLikeQuery: true);
        var others = Enumerable.Range(0, Side * Side).Except(Centre).ToArray();
        var (lowestCentre, highestOther) = (Centre.Min(i => heatmap.Total[i]), others.Max(i => heatmap.Total[i]));
        Assert.True(lowestCentre > highestOther, $"centre cells read at least {lowestCentre} times, another cell {highestOther} times");
        Assert.Equal(Images, heatmap.Samples);
    }

    [Fact]
    public void Without_the_centre_made_like_the_query_the_centre_does_not_stand_out()
    {
        var heatmap = HeatmapOf(RandomImages(seed: 2), centreLikeQuery: false);
        var others = Enumerable.Range(0, Side * Side).Except(Centre).ToArray();
        Assert.True(Centre.Min(i => heatmap.Total[i]) <= others.Max(i => heatmap.Total[i]));
    }

    private static SelectionHeatmap HeatmapOf(float[] images, bool centreLikeQuery)
    {
        var folder = Directory.CreateTempSubdirectory("adatape-centre-").FullName;
        try
        {
            var plain = Path.Combine(folder, "plain.safetensors");
            File.WriteAllBytes(plain, Weights(null));
            float[] query;
            using (var session = new TorchInferenceSession(plain))
                query = MeanQuery(session.Read(images, Images));
            var crafted = Path.Combine(folder, "crafted.safetensors");
            File.WriteAllBytes(crafted, Weights(centreLikeQuery ? query : null));
            using var traced = new TorchInferenceSession(crafted, traceReads: true);
            return SelectionHeatmap.Compute(traced, images, Images, labels: null, batchSize: 5);
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    /// <summary>Seeded weights; the bank is its position embedding (random N(0, 1)), with the centre rows set to
    /// <paramref name="centre"/> when given.</summary>
    private static byte[] Weights(float[]? centre)
    {
        using var scope = NewDisposeScope();
        random.manual_seed(9);
        using var model = ModelFactory.Create(Spec.Model, Spec.Task);
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using (no_grad())
        {
            parameters["bank.embedding_bank.weight"].zero_();
            parameters["bank.embedding_bank.bias"].zero_();
            parameters["bank.pre_bank.weight"].copy_(eye(TinySpecs.Encoder.Width));
            parameters["bank.pre_bank.bias"].zero_();
            var positions = parameters["bank.pos_embedding_bank"];                                   // [1, M, D]
            positions.normal_(0, 1);
            if (centre is not null)
                foreach (var i in Centre) positions[0, i] = tensor(centre);
        }
        return TorchCheckpoint.Encode(model, null, Spec, 0, new Dictionary<string, string>());
    }

    /// <summary>The mean over images of the gap query (mean of the tokens entering the tape layer).</summary>
    private static float[] MeanQuery(AdaTapeDml.Core.Contracts.TapeReadBatch read)
    {
        var query = new double[read.Width];
        for (var b = 0; b < read.Count; b++)
        {
            var hidden = read.HiddenOf(b);
            for (var i = 0; i < hidden.Length; i++) query[i % read.Width] += hidden[i] / (double)(read.Tokens * read.Count);
        }
        return query.Select(v => (float)v).ToArray();
    }

    private static float[] RandomImages(int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, Images * 28 * 28).Select(_ => random.Next(0, 256) / 255f).ToArray();
    }
}
