using AdaTapeDml.Backends.Onnx.Compiler;
using AdaTapeDml.Backends.Onnx.Graph;
using AdaTapeDml.Backends.TorchSharp.Modules;
using AdaTapeDml.Core.Checkpoints;
using AdaTapeDml.Core.Layout;
using AdaTapeDml.Core.Specs;
using Microsoft.ML.OnnxRuntime;
using static TorchSharp.torch;
using DataType = AdaTapeDml.Backends.Onnx.Proto.TensorProto.Types.DataType;

namespace AdaTapeDml.Properties.Backends;

/// <summary>The host's lookup table (<see cref="LookupBank"/>) is, bit for bit, what each backend's bank layer computes for
/// every parity element: sessions read the parity bank from the table, while training and the self-contained ONNX graph
/// compute it per element, and the two must not differ by a rounding. Weights span magnitudes from 1e-6 to 1e4, so an
/// addition that rounded differently would show.</summary>
public sealed class LookupBank_EqualsBankLayers
{
    private const int Width = 24, SeqLen = 7, Batch = 5;

    private static (float[] Weight, float[] Bias) RandomDense(int seed)
    {
        var random = new Random(seed);
        float Value() => (float)((random.NextDouble() * 2 - 1) * Math.Pow(10, random.Next(-6, 5)));
        return ([.. Enumerable.Range(0, Width * LookupBank.Rows).Select(_ => Value())], [.. Enumerable.Range(0, Width).Select(_ => Value())]);
    }

    /// <summary>Sequences with every element value, [B, L, 3] one-hot.</summary>
    private static float[] OneHots() => AdaTapeDml.Core.Tasks.Parity.OneHot(
        [.. Enumerable.Range(0, Batch).Select(b => Enumerable.Range(0, SeqLen).Select(i => (sbyte)((b + i) % 3 - 1)).ToArray())], SeqLen);

    private static void AssertRowsAreTableRows(float[] bank, float[] oneHots, float[] table)
    {
        var entries = LookupBank.Entries(oneHots, Batch, SeqLen);
        Assert.Equal(Batch * SeqLen * Width, bank.Length);
        for (var e = 0; e < entries.Length; e++)
        {
            var row = bank.AsSpan(e * Width, Width).ToArray().Select(BitConverter.SingleToInt32Bits);
            var want = table.AsSpan(entries[e] * Width, Width).ToArray().Select(BitConverter.SingleToInt32Bits);
            Assert.True(want.SequenceEqual(row), $"element {e % SeqLen} of sample {e / SeqLen} (table row {entries[e]}) differs from the table");
        }
    }

    [Theory, InlineData(1), InlineData(2), InlineData(3)]
    public void TorchSharp_bank_rows_are_the_table_rows(int seed)
    {
        using var scope = NewDisposeScope();
        var (weight, bias) = RandomDense(seed);
        var bank = new TapeBank(new SequenceInputBankSpec(), Width);
        using (no_grad())
        {
            var parameters = bank.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            parameters["pre_bank.weight"].copy_(tensor(weight, [Width, LookupBank.Rows]));
            parameters["pre_bank.bias"].copy_(tensor(bias, [Width]));
        }
        var oneHots = OneHots();
        using var _ = no_grad();
        var rows = bank.forward(tensor(oneHots, [Batch, SeqLen, LookupBank.Rows])).data<float>().ToArray();
        var table = bank.HostRows()!;
        Assert.Equal(LookupBank.Table(weight, bias), table);
        AssertRowsAreTableRows(rows, oneHots, table);
    }

    [Theory, InlineData(1), InlineData(2), InlineData(3)]
    public void Onnx_bank_rows_are_the_table_rows(int seed)
    {
        var (weight, bias) = RandomDense(seed);
        var weights = new ModelWeights(new Dictionary<string, TensorData>
        {
            [$"{CheckpointKeys.Model}bank.pre_bank.weight"] = new([Width, LookupBank.Rows], weight),
            [$"{CheckpointKeys.Model}bank.pre_bank.bias"] = new([Width], bias),
        }, "test");
        var g = new OnnxGraphBuilder("bank");
        var input = g.Input("input", DataType.Float, "batch", SeqLen, LookupBank.Rows);
        var (bank, shared, size) = BankLayer.Emit(g, weights, new SequenceInputBankSpec(), new ParityTaskSpec(SeqLen), Width, input);
        Assert.False(shared);
        Assert.Equal(SeqLen, size);
        g.Output(bank, "bank", DataType.Float, "batch", SeqLen, Width);
        using var options = new SessionOptions();
        using var session = new InferenceSession(OnnxCompiler.Bytes(g.Build()), options);
        var oneHots = OneHots();
        using var value = OrtValue.CreateTensorValueFromMemory(oneHots, [Batch, SeqLen, LookupBank.Rows]);
        using var outputs = session.Run(new RunOptions(), ["input"], [value], ["bank"]);
        AssertRowsAreTableRows(outputs[0].GetTensorDataAsSpan<float>().ToArray(), oneHots, LookupBank.Table(weight, bias));
    }

    [Fact]
    public void A_parity_input_that_is_not_one_hot_is_refused_with_the_encoding()
    {
        var inputs = new float[2 * 3];
        inputs[1] = 1f;
        inputs[3] = 0.5f;
        inputs[5] = 0.5f;
        var problem = AdaTapeDml.Core.Contracts.InputShapes.Problem(new ParityTaskSpec(2), inputs, 1);
        Assert.Equal("parity element 1 is [0.5, 0, 0.5]; each element must be a one-hot row of 3 values ([1, 0, 0] for -1, [0, 1, 0] for 0, [0, 0, 1] for 1)", problem);
        inputs[3] = 0f;
        inputs[5] = 1f;
        Assert.Null(AdaTapeDml.Core.Contracts.InputShapes.Problem(new ParityTaskSpec(2), inputs, 1));
    }
}
