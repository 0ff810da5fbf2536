using AdaTapeDml.Core.Atr;
using AdaTapeDml.Core.Numerics;
using AdaTapeDml.Core.Specs;

namespace AdaTapeDml.Properties.Core;

/// <summary>The halting threshold is honoured at full precision: a tau just above an integer needs one more step.</summary>
public sealed class ReferenceAtr_Threshold
{
    // k = floor(T / tau) = 1 in every case: each step merges one entry, so d = 1 exactly and h counts steps.
    // tau = 2.00000001 (T = 4): two steps reach h = 2 < tau, so a third is needed (a float threshold rounded tau to 2
    // and halted after two). tau = 2 and tau = 1.99999999 (T = 3): two steps.
    [Theory]
    [InlineData(2.00000001, 4, 3)]
    [InlineData(2.0, 3, 2)]
    [InlineData(1.99999999, 3, 2)]
    public void Steps_are_at_least_ceil_tau_for_thresholds_that_are_not_float_values(double tau, int maxTape, int steps)
    {
        var bank = Enumerable.Range(0, 6).Select(i => new float[] { i, -i, 2 * i, 1 }).ToArray();
        var config = new AtrConfig(NumTapeTokens: maxTape, TokensPerStep: 1, tau, ActLossType.Entropy, ComplexQuery: true, KeyWidth: 2);

        var result = ReferenceAtr.Read([1f, 0.5f, -1f, 2f], bank, LayerNormParams.Identity(4), config);

        Assert.Equal(steps, result.StepCount);
        Assert.Equal(AtrStopReason.Halted, result.StopReason);
        Assert.Equal(tau, result.HaltingSum);
        Assert.True(result.StepCount >= Math.Ceiling(tau));
    }
}
