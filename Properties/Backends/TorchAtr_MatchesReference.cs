using AdaTapeDml.Backends.TorchSharp.Atr;
using AdaTapeDml.Core.Atr;
using AdaTapeDml.Core.Numerics;
using AdaTapeDml.Core.Specs;
using static TorchSharp.torch;

namespace AdaTapeDml.Properties.Backends;

/// <summary>The batched TorchSharp ATR equals the Core oracle sample by sample: indices identical, values within 1e-5.</summary>
public sealed class TorchAtr_MatchesReference
{
    [Theory]
    [InlineData(true, true, 1, ActLossType.Entropy, 0.0)]
    [InlineData(true, false, 1, ActLossType.Max, 0.0)]
    [InlineData(false, true, 2, ActLossType.Entropy, 0.0)]
    [InlineData(false, false, 2, ActLossType.Max, 0.0)]
    [InlineData(true, true, 2, ActLossType.Entropy, 0.3)]
    [InlineData(false, true, 1, ActLossType.Entropy, 0.5)]
    public void Random_inputs_and_weights(bool sharedBank, bool complexQuery, int tokensPerStep, ActLossType lossType, double maskP)
    {
        using var scope = NewDisposeScope();
        const int b = 9, d = 16, n = 12;
        var config = new AtrConfig(NumTapeTokens: 8, tokensPerStep, ActEpsilon: 2.5, lossType, complexQuery, KeyWidth: 8);
        var random = new Random(17 + tokensPerStep);
        float[] Draw(int count) => Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
        var queries = Enumerable.Range(0, b).Select(_ => Draw(d)).ToArray();
        var banks = Enumerable.Range(0, sharedBank ? 1 : b).Select(_ => Enumerable.Range(0, n).Select(_ => Draw(d)).ToArray()).ToArray();
        var norm = new LayerNormParams(Draw(d), Draw(d));
        var perturbations = Enumerable.Range(0, b).Select(i => AtrPerturbation.Draw(i, d, n, 0.7, maskP)).ToArray();

        var bankTensor = sharedBank
            ? tensor(banks[0].SelectMany(r => r).ToArray(), [n, d])
            : tensor(banks.SelectMany(bk => bk.SelectMany(r => r)).ToArray(), [b, n, d]);
        var output = TorchAtr.Read(
            tensor(queries.SelectMany(q => q).ToArray(), [b, d]), bankTensor,
            tensor(norm.Gamma), tensor(norm.Beta), config,
            tensor(perturbations.SelectMany(p => p.QueryNoise).ToArray(), [b, d]),
            tensor(perturbations.SelectMany(p => p.Hidden).ToArray(), [b, n]));

        var tape = output.TapeTokens.data<float>().ToArray();
        var indices = output.Indices.data<long>().ToArray();
        var weights = output.Weights.data<float>().ToArray();
        var steps = config.MaxSteps;
        var k = config.Candidates;
        for (var s = 0; s < b; s++)
        {
            var expected = ReferenceAtr.Read(queries[s], banks[sharedBank ? 0 : s], norm, config, perturbations[s]);
            Assert.Equal(expected.TapeLength, output.Lengths[s].item<long>());
            Assert.Equal(expected.StepCount, output.Steps[s].item<long>());
            Assert.Equal(expected.Loss, output.Loss[s].item<float>(), 1e-5f);
            Assert.Equal(expected.HaltingSum, output.HaltingSum[s].item<double>(), 1e-5);
            for (var t = 0; t < steps; t++)
            {
                var row = Enumerable.Range(0, k).Select(c => indices[(s * steps + t) * k + c]).Where(i => i >= 0).ToArray();
                if (t >= expected.StepCount) { Assert.Empty(row); continue; }
                Assert.Equal(expected.Steps[t].Indices.Select(i => (long)i), row);
                for (var c = 0; c < row.Length; c++)
                    Assert.Equal(expected.Steps[t].Weights[c], weights[(s * steps + t) * k + c], 1e-5f);
            }
            for (var slot = 0; slot < config.NumTapeTokens; slot++)
                for (var j = 0; j < d; j++)
                {
                    var actual = tape[(s * config.NumTapeTokens + slot) * d + j];
                    Assert.Equal(slot < expected.TapeLength ? expected.TapeTokens[slot][j] : 0f, actual, 1e-5f);
                }
        }
    }

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
