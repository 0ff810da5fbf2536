using static TorchSharp.torch;

namespace AdaTapeDml.Backends.TorchSharp.Models;

/// <summary>A model interpreted from a Core spec: input batch in, logits and auxiliary loss out.</summary>
public abstract class ClassifierModel(string name) : nn.Module<Tensor, ModelOutput>(name)
{
    /// <summary>Weight of <see cref="ModelOutput.AuxLoss"/> in the total loss (actLossWeight or ponderWeight).</summary>
    public abstract double AuxLossWeight { get; }

    /// <summary>Where the parameters live (set once by <see cref="ModelFactory.Create"/>); inputs go there too.</summary>
    public Device Device => parameters().First().device;
}
