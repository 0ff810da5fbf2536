using AdaTapeDml.Core.Specs;

namespace AdaTapeDml.Backends.TorchSharp.Models;

/// <summary>Interprets a model spec as a TorchSharp module: the one switch over model kinds in this backend.</summary>
public static class ModelFactory
{
    public static ClassifierModel Create(ModelSpec model, TaskSpec task) => model switch
    {
        AdaTapeModelSpec a => new AdaTapeModel(a, task),
        TransformerModelSpec t => new TransformerModel(t, task),
        UniversalTransformerModelSpec u => new UniversalTransformerModel(u, task),
        _ => throw new ArgumentOutOfRangeException(nameof(model), model, "unknown model kind"),
    };
}
