using System.Text.Json;
using AdaTapeDml.Backends.Onnx.Export;
using AdaTapeDml.Backends.Onnx.Runtime;
using AdaTapeDml.Properties.Onnx;

namespace AdaTapeDml.Properties.Avit;

/// <summary>Exporting an A-ViT writes one full graph, checked against the DirectML rules, whose manifest names the model
/// kind "avit" and the per-token depths output; a UT's manifest names its per-sample steps output.</summary>
public sealed class AvitExport_Manifest : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("adatape-avit-export-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Theory]
    [InlineData("avit-image", "avit", "depths", 2)]
    [InlineData("ut-image", "ut", "steps", 1)]
    public void Manifest_names_the_kind_and_the_per_sample_statistic(string name, string kind, string statistic, int rank)
    {
        var path = OnnxTestModels.SaveRandom(OnnxTestModels.Specs[name], Path.Combine(dir, "model.safetensors"), seed: 2);
        var compiled = OnnxInferenceSession.Compile(path);
        Assert.Equal(["full.onnx"], OnnxExport.Graphs(compiled).Select(g => g.FileName));              // throws on a DirectML violation
        var manifest = JsonDocument.Parse(OnnxExport.Manifest(compiled)).RootElement;
        Assert.Equal(kind, manifest.GetProperty("modelKind").GetString());
        var outputs = manifest.GetProperty("stages")[0].GetProperty("outputs").EnumerateArray().ToList();
        var depths = outputs.Single(o => o.GetProperty("name").GetString() == statistic);
        Assert.Equal("int64", depths.GetProperty("type").GetString());
        Assert.Equal(rank, depths.GetProperty("shape").GetArrayLength());
    }
}
