using AdaTapeDml.Backends.TorchSharp.Atr;
using AdaTapeDml.Core.Atr;
using AdaTapeDml.Core.Numerics;
using AdaTapeDml.Core.Specs;
using static TorchSharp.torch;

namespace AdaTapeDml.Properties.Backends;

/// <summary>The batched TorchSharp ATR is differentiable in everything training updates. (That it reads what the Core
/// oracle reads is a halting property: see Halting/Halting_BackendEqualsReference.)</summary>
public sealed class TorchAtr_Gradients
{
    [Fact]
    public void Gradients_flow_into_query_bank_and_norm()
    {
        using var scope = NewDisposeScope();
        var config = new AtrConfig(6, 1, 2.0, ActLossType.Entropy, true, 4);
        var query = randn(3, 8).requires_grad_();
        var bank = randn(3, 10, 8).requires_grad_();
        var gamma = ones(8).requires_grad_();
        var beta = zeros(8).requires_grad_();
        var output = TorchAtr.Read(query, bank, gamma, beta, config);
        (output.TapeTokens.square().sum() + output.Loss.sum()).backward();
        foreach (var p in new[] { query, bank, gamma, beta })
        {
            Assert.True(p.grad is not null && p.grad.abs().sum().item<float>() > 0, "gradient missing");
            Assert.True(p.grad!.isfinite().all().item<bool>(), "gradient not finite");
        }
    }
}
