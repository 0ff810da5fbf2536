using AdaTapeDml.Backends.Onnx.Compiler;
using AdaTapeDml.Backends.Onnx.Graph;
using AdaTapeDml.Backends.TorchSharp.Modules;
using AdaTapeDml.Core.Checkpoints;
using AdaTapeDml.Core.Specs;
using Microsoft.ML.OnnxRuntime;
using static TorchSharp.torch;
using DataType = AdaTapeDml.Backends.Onnx.Proto.TensorProto.Types.DataType;

namespace AdaTapeDml.Properties.Backends;

/// <summary>Parity READ runs its block over one token, whose attention both backends compute at inference as the token's
/// value (softmax over one key is exactly 1): that shortcut equals full attention (query, key, scores, softmax, mixing)
/// on TorchSharp and in the ONNX graph, with weights taking the query and key rows far from the value rows, so reading
/// the wrong third of the fused projection would show.</summary>
public sealed class SingleTokenAttention_EqualsFullAttention
{
    private const int Width = 16, Heads = 4, Batch = 6;
    private const double Tolerance = 1e-5;

    private static float[] Random(int count, int seed, double scale)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2 - 1) * scale))];
    }

    /// <summary>Fused qkv weights [3D, D] whose query and key rows are 10x the value rows, and the other parameters.</summary>
    private static (float[] Qkv, float[] QkvBias, float[] Proj, float[] ProjBias) Weights(int seed)
    {
        var qkv = Random(3 * Width * Width, seed, 0.5);
        for (var i = 0; i < 2 * Width * Width; i++) qkv[i] *= 10;
        return (qkv, Random(3 * Width, seed + 1, 0.5), Random(Width * Width, seed + 2, 0.5), Random(Width, seed + 3, 0.5));
    }

    [Theory, InlineData(1), InlineData(2), InlineData(3)]
    public void TorchSharp_single_token_attention_equals_the_full_computation(int seed)
    {
        using var scope = NewDisposeScope();
        var (qkv, qkvBias, proj, projBias) = Weights(seed);
        var attention = new SelfAttention(Width, Heads, dropout: 0);
        using (no_grad())
        {
            var p = attention.named_parameters().ToDictionary(n => n.name, n => n.parameter);
            p["qkv.weight"].copy_(tensor(qkv, [3 * Width, Width]));
            p["qkv.bias"].copy_(tensor(qkvBias, [3 * Width]));
            p["proj.weight"].copy_(tensor(proj, [Width, Width]));
            p["proj.bias"].copy_(tensor(projBias, [Width]));
        }
        var x = tensor(Random(Batch * Width, seed + 4, 2), [Batch, 1, Width]);
        using var _ = no_grad();
        attention.train();                                                                          // no dropout: the full path, deterministic
        var full = attention.forward(x, null).data<float>().ToArray();
        attention.eval();
        var shortcut = attention.forward(x, null).data<float>().ToArray();
        AssertClose(full, shortcut);
    }

    [Theory, InlineData(1), InlineData(2), InlineData(3)]
    public void Onnx_single_token_attention_equals_the_full_computation(int seed)
    {
        var (qkv, qkvBias, proj, projBias) = Weights(seed);
        var weights = new ModelWeights(new Dictionary<string, TensorData>
        {
            [$"{CheckpointKeys.Model}attn.qkv.weight"] = new([3 * Width, Width], qkv),
            [$"{CheckpointKeys.Model}attn.qkv.bias"] = new([3 * Width], qkvBias),
            [$"{CheckpointKeys.Model}attn.proj.weight"] = new([Width, Width], proj),
            [$"{CheckpointKeys.Model}attn.proj.bias"] = new([Width], projBias),
        }, "test");
        var x = Random(Batch * Width, seed + 4, 2);
        AssertClose(Run(weights, x, singleToken: false), Run(weights, x, singleToken: true));
    }

    private static float[] Run(ModelWeights weights, float[] x, bool singleToken)
    {
        var g = new OnnxGraphBuilder("attention");
        var input = g.Input("x", DataType.Float, "batch", 1, Width);
        var encoder = new EncoderSpec(Width: Width, Depth: 1, Heads: Heads, MlpDim: Width, Dropout: 0, Classifier: Classifier.Gap, PatchSize: 4);
        g.Output(AttentionLayer.Emit(g, weights, "attn", encoder, input, null, singleToken), "y", DataType.Float, "batch", 1, Width);
        using var options = new SessionOptions();
        using var session = new InferenceSession(OnnxCompiler.Bytes(g.Build()), options);
        using var value = OrtValue.CreateTensorValueFromMemory(x, [Batch, 1, Width]);
        using var outputs = session.Run(new RunOptions(), ["x"], [value], ["y"]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a) / Math.Max(1, Math.Abs(e))).Max();
        Assert.True(worst <= Tolerance, $"single-token attention differs from the full computation by {worst:E2} (relative), over {Tolerance:E0}");
    }
}
