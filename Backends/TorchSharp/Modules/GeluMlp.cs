using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AdaTapeDml.Backends.TorchSharp.Modules;

/// <summary>Dense(H) -> GELU -> Dense(D): the encoder's feed-forward network.</summary>
public sealed class GeluMlp : nn.Module<Tensor, Tensor>
{
    private readonly Linear fc1;
    private readonly Linear fc2;
    private readonly double dropout;

    public GeluMlp(long width, long hidden, double dropout) : base(nameof(GeluMlp))
    {
        fc1 = Init.Dense(width, hidden);
        fc2 = Init.Dense(hidden, width);
        this.dropout = dropout;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var y = nn.functional.gelu(fc1.forward(x));
        return Dropout.Apply(fc2.forward(Dropout.Apply(y, dropout, training)), dropout, training);
    }
}
