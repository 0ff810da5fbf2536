using AdaTapeDml.Core.Specs;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AdaTapeDml.Backends.TorchSharp.Training;

/// <summary>AdamW (Loshchilov and Hutter) with decoupled weight decay on matrices only (biases, norms and other 1-D
/// parameters are not decayed). Written out so its moments are plain named tensors that checkpoints save exactly.</summary>
public sealed class AdamW : IDisposable
{
    private const double Epsilon = 1e-8;
    private readonly (string Name, Parameter Parameter, Tensor M, Tensor V)[] slots;
    private readonly TrainingSpec training;

    public AdamW(IEnumerable<(string Name, Parameter Parameter)> parameters, TrainingSpec training)
    {
        this.training = training;
        slots = parameters.Select(p => (p.Name, p.Parameter, zeros_like(p.Parameter).DetachFromDisposeScope(), zeros_like(p.Parameter).DetachFromDisposeScope())).ToArray();
    }

    /// <summary>Steps taken (t in the bias corrections).</summary>
    public int StepCount { get; set; }

    /// <summary>First and second moments by parameter name.</summary>
    public IEnumerable<(string Name, Tensor M, Tensor V)> Moments => slots.Select(s => (s.Name, s.M, s.V));

    /// <summary>One update with learning rate <paramref name="lr"/> from the parameters' current gradients.</summary>
    public void Step(double lr)
    {
        StepCount++;
        var (b1, b2) = (training.Beta1, training.Beta2);
        var correction1 = 1 - Math.Pow(b1, StepCount);
        var correction2 = 1 - Math.Pow(b2, StepCount);
        using var _ = no_grad();
        using var decay = (1 - lr * training.WeightDecay).ToScalar();
        using var beta1 = b1.ToScalar();
        using var beta2 = b2.ToScalar();
        using var gradientShare = (1 - b1).ToScalar();
        using var squareShare = (1 - b2).ToScalar();
        using var unbias2 = correction2.ToScalar();
        using var epsilon = Epsilon.ToScalar();
        using var stepSize = (-lr / correction1).ToScalar();
        foreach (var (_, p, m, v) in slots)
        {
            if (p.grad is null) continue;
            if (p.dim() >= 2 && training.WeightDecay > 0) p.mul_(decay);                            // decoupled decay
            m.mul_(beta1).add_(p.grad, gradientShare);                                                 // m = b1 m + (1 - b1) g
            v.mul_(beta2).addcmul_(p.grad, p.grad, squareShare);                                       // v = b2 v + (1 - b2) g^2
            var denominator = v.div(unbias2).sqrt_().add_(epsilon, KeptScalars.One);
            p.addcdiv_(m, denominator, stepSize);                                                     // p -= lr m_hat / (sqrt(v_hat) + eps)
        }
    }

    public void Dispose()
    {
        foreach (var (_, _, m, v) in slots) { m.Dispose(); v.Dispose(); }
    }
}
