using AdaTapeDml.Backends.TorchSharp.Atr;
using AdaTapeDml.Core.Atr;
using AdaTapeDml.Core.Numerics;
using AdaTapeDml.Properties.Halting.Backends;
using AdaTapeDml.Core.Specs;
using static TorchSharp.torch;

namespace AdaTapeDml.Properties.Onnx;

/// <summary>The unrolled ATR graph reads exactly the tape lengths of TorchAtr (which sums halting increments in double),
/// also on sharp weights whose halting sums land exactly on tau, and for a tau just above a float value, where a float32
/// halting sum would stop a step early.</summary>
public sealed class AtrGraph_MatchesTorchAtr
{
    private const int Width = 8, BankSize = 12, Batch = 400;

    [Theory]
    [InlineData(4, 1, 2.0, 1f)]
    [InlineData(4, 1, 2.0, 9f)]       // sharp: most increments are exactly 1, so halting sums land exactly on tau
    [InlineData(6, 2, 1.5, 3.5f)]
    [InlineData(10, 1, 2.0, 2.5f)]
    public void Lengths_and_tokens_equal_torch_atr(int maxTape, int perStep, double tau, float sharpness)
    {
        var config = AtrConfig.From(new TapeSpec(NumTapeTokens: maxTape, TokensPerStep: perStep, ActEpsilon: tau, SplitTt: 2), Width);
        var random = new Random(maxTape * 100 + (int)(sharpness * 10));
        var query = Normal(random, Batch * Width);
        var bank = Normal(random, Batch * BankSize * Width);
        var gamma = Enumerable.Repeat(sharpness, Width).ToArray();
        var beta = new float[Width];

        using var scope = NewDisposeScope();
        var expected = TorchAtr.Read(tensor(query, [Batch, Width]), tensor(bank, [Batch, BankSize, Width]), tensor(gamma), tensor(beta), config);
        var expectedLengths = expected.Lengths.data<long>().ToArray();
        var (lengths, tokens) = RunGraph(config, query, bank, gamma, beta);

        Assert.Equal(expectedLengths, lengths);
        var worst = expected.TapeTokens.contiguous().data<float>().ToArray().Zip(tokens, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= 1e-4 * sharpness, $"tape tokens (scale {sharpness}): max |torch - onnx| = {worst:E2}");
    }

    [Fact]
    public void A_threshold_just_above_an_integer_needs_one_more_step_as_in_double()
    {
        // k = floor(4 / 2.00000001) = 1 candidate, so every increment is exactly 1: h = 2 after two steps, which is below
        // tau in double (and in the float pair) but equal to (float)tau, where a float32 halting sum would stop.
        var config = AtrConfig.From(new TapeSpec(NumTapeTokens: 4, ActEpsilon: 2.00000001, SplitTt: 2), Width);
        var random = new Random(1);
        var (query, bank) = (Normal(random, Batch * Width), Normal(random, Batch * BankSize * Width));
        var (lengths, _) = RunGraph(config, query, bank, Enumerable.Repeat(1f, Width).ToArray(), new float[Width]);
        Assert.All(lengths, l => Assert.Equal(3, l));
    }

    private static (long[] Lengths, float[] Tokens) RunGraph(AtrConfig config, float[] query, float[] bank, float[] gamma, float[] beta)
    {
        var output = OnnxAtrGraph.Run(config, new LayerNormParams(gamma, beta), query, bank, Batch, BankSize, shared: false);
        return (output.Lengths, output.Tokens);
    }

    private static float[] Normal(Random random, int count) =>
        Enumerable.Range(0, count).Select(_ => (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()))).ToArray();
}
