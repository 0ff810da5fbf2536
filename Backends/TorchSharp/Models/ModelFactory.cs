using AdaTapeDml.Core.Specs;
using TorchSharp;
using static TorchSharp.torch;

namespace AdaTapeDml.Backends.TorchSharp.Models;

/// <summary>Interprets a model spec as a TorchSharp module: the one switch over model kinds in this backend.</summary>
public static class ModelFactory
{
    /// <summary>Builds the model on the CPU, so a seed gives the same initial weights whatever the device (CUDA draws
    /// other random numbers), then moves every parameter and buffer to <paramref name="device"/> (null: stay on the CPU).</summary>
    public static ClassifierModel Create(ModelSpec model, TaskSpec task, Device? device = null)
    {
        var created = OnCpu(model, task);
        if (device is not null) created.to(device);                                                // a no-op on the CPU
        return created;
    }

    private static ClassifierModel OnCpu(ModelSpec model, TaskSpec task) => model switch
    {
        AdaTapeModelSpec a => new AdaTapeModel(a, task),
        TransformerModelSpec t => new TransformerModel(t, task),
        UniversalTransformerModelSpec u => new UniversalTransformerModel(u, task),
        AvitModelSpec v => new AvitModel(v, task),
        _ => throw new ArgumentOutOfRangeException(nameof(model), model, "unknown model kind"),
    };
}
