using AdaTapeDml.Backends.TorchSharp.Models;
using static TorchSharp.torch;

namespace AdaTapeDml.Properties.Backends;

/// <summary>Makes a freshly initialised model worth comparing. The reference zero-initialises the classifier kernel, so
/// every logit of an untrained model is 0 and any two computations "agree"; and its bank scores are nearly flat, so
/// almost every sample reads the same tape length. Tests of exactness use this init instead.</summary>
public static class InformativeInit
{
    /// <summary>A random classifier kernel (std 0.5) and the bank LayerNorm gain doubled (tape lengths then vary).</summary>
    public static T Apply<T>(T model) where T : ClassifierModel
    {
        using var _ = no_grad();
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (name == "head.output_projection.weight") parameter.normal_(0, 0.5);
            if (name == "bank_norm.weight") parameter.mul_(2);
        }
        return model;
    }
}
