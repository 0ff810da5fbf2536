using AdaTapeDml.Backends.TorchSharp.Inference;
using AdaTapeDml.Backends.TorchSharp.Models;
using AdaTapeDml.Backends.TorchSharp.Training;
using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Specs;
using static TorchSharp.torch;

namespace AdaTapeDml.Properties.Halting.Backends;

/// <summary>TorchInferenceSession over a random model saved to a temporary safetensors file, as a trained one would be.</summary>
public sealed class TorchInferenceBackend : IInferenceBackend
{
    public string Name => "torch";

    public IInferenceSession Open(RunSpec spec, int seed, bool traceReads = false) =>
        OpenRandom(spec, seed, path => new TorchInferenceSession(path, traceReads: traceReads));

    /// <summary>Saves <see cref="RandomWeights"/> to a temporary file, opens a session on it with <paramref name="open"/>
    /// and deletes the file (sessions read their weights when they open).</summary>
    public static IInferenceSession OpenRandom(RunSpec spec, int seed, Func<string, IInferenceSession> open)
    {
        var path = Path.Combine(Path.GetTempPath(), $"adatape-props-{Guid.NewGuid():N}.safetensors");
        try
        {
            File.WriteAllBytes(path, RandomWeights(spec, seed));
            return open(path);
        }
        finally { File.Delete(path); }
    }

    /// <summary>A model of the spec initialised from the seed, with every all-zero parameter (head, biases) redrawn.</summary>
    public static byte[] RandomWeights(RunSpec spec, int seed)
    {
        using var scope = NewDisposeScope();
        random.manual_seed(seed);
        using var model = ModelFactory.Create(spec.Model, spec.Task);
        using (no_grad())
            foreach (var p in model.parameters())
                if (p.abs().max().item<float>() == 0) p.normal_(0, 0.3);
        return TorchCheckpoint.Encode(model, null, spec, 0, new Dictionary<string, string>());
    }
}
