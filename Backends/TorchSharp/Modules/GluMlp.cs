using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AdaTapeDml.Backends.TorchSharp.Modules;

/// <summary>Dense(2H) -> a * sigmoid(b) -> Dense(D): the GLU MLP applied to tape tokens (no residual).</summary>
public sealed class GluMlp : nn.Module<Tensor, Tensor>
{
    private readonly Linear fc1;
    private readonly Linear fc2;

    public GluMlp(long width, long hidden) : base(nameof(GluMlp))
    {
        fc1 = Init.Dense(width, 2 * hidden);
        fc2 = Init.Dense(hidden, width);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => fc2.forward(nn.functional.glu(fc1.forward(x), -1)); // [.., D]
}
