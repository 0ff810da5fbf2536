using AdaTapeDml.Backends.Onnx.Compiler;
using AdaTapeDml.Backends.Onnx.Graph;
using AdaTapeDml.Core.Atr;
using AdaTapeDml.Core.Checkpoints;
using AdaTapeDml.Core.Numerics;
using Microsoft.ML.OnnxRuntime;
using DataType = AdaTapeDml.Backends.Onnx.Proto.TensorProto.Types.DataType;

namespace AdaTapeDml.Properties.Halting.Backends;

/// <summary>What the unrolled ATR graph read, per sample, as flat arrays ([B, S, k] for per-step candidates, [B, S] per step).</summary>
public sealed record OnnxAtrOutputs(long[] Lengths, float[] Tokens, long[] Indices, float[] Weights, float[] Merged, float[] Taken,
    float[] HaltingHi, float[] HaltingLo, float[] Loss, int Candidates);

/// <summary>The ONNX backend's ATR (<see cref="AtrGraph"/>, the very nodes the READ graph contains) as a graph of its own,
/// compiled for one configuration, with every step's values as outputs, and run on ONNX Runtime's CPU provider.</summary>
public static class OnnxAtrGraph
{
    /// <param name="query">[B, D] before the LayerNorm.</param>
    /// <param name="bank">[N, D] shared (<paramref name="shared"/>) or [B, N, D], before the LayerNorm.</param>
    public static OnnxAtrOutputs Run(AtrConfig config, LayerNormParams norm, float[] query, float[] bank, int count, int bankSize, bool shared)
    {
        var width = norm.Gamma.Length;
        var g = new OnnxGraphBuilder("atr");
        var q = g.Input("query", DataType.Float, "batch", width);
        var entries = shared
            ? g.Input("bank", DataType.Float, bankSize, width)
            : g.Input("bank", DataType.Float, "batch", bankSize, width);
        var weights = new ModelWeights(new Dictionary<string, TensorData>
        {
            [$"{CheckpointKeys.Model}bank_norm.weight"] = new([width], norm.Gamma),
            [$"{CheckpointKeys.Model}bank_norm.bias"] = new([width], norm.Beta),
        }, "test");
        var trace = new AtrGraphTrace();
        var (tokens, lengths) = AtrGraph.Emit(g, weights, config, width, q, entries, shared, bankSize, trace);
        var k = Math.Min(config.Candidates, bankSize);
        g.Output(tokens, "tokens", DataType.Float, "batch", config.NumTapeTokens, width);
        g.Output(lengths, "lengths", DataType.Int64, "batch");
        g.Output(AtrGraphTrace.PerStep(g, trace.Steps.Select(s => s.Indices)), "indices", DataType.Int64, "batch", config.MaxSteps, k);
        g.Output(AtrGraphTrace.PerStep(g, trace.Steps.Select(s => s.Weights)), "weights", DataType.Float, "batch", config.MaxSteps, k);
        g.Output(AtrGraphTrace.PerStep(g, trace.Steps.Select(s => s.Merged)), "merged", DataType.Float, "batch", config.MaxSteps, k);
        g.Output(AtrGraphTrace.PerStep(g, trace.Steps.Select(s => s.Taken)), "taken", DataType.Float, "batch", config.MaxSteps);
        g.Output(AtrGraphTrace.PerStep(g, trace.Steps.Select(s => s.HaltingHi)), "h_hi", DataType.Float, "batch", config.MaxSteps);
        g.Output(AtrGraphTrace.PerStep(g, trace.Steps.Select(s => s.HaltingLo)), "h_lo", DataType.Float, "batch", config.MaxSteps);
        g.Output(trace.Loss, "loss", DataType.Float, "batch");

        using var options = new SessionOptions();
        using var session = new InferenceSession(OnnxCompiler.Bytes(g.Build()), options);
        using var qv = OrtValue.CreateTensorValueFromMemory(query, [count, width]);
        using var bv = OrtValue.CreateTensorValueFromMemory(bank, shared ? [bankSize, width] : [count, bankSize, width]);
        string[] names = ["lengths", "tokens", "indices", "weights", "merged", "taken", "h_hi", "h_lo", "loss"];
        using var outputs = session.Run(new RunOptions(), ["query", "bank"], [qv, bv], names);
        float[] F(int i) => outputs[i].GetTensorDataAsSpan<float>().ToArray();
        return new OnnxAtrOutputs(outputs[0].GetTensorDataAsSpan<long>().ToArray(), F(1), outputs[2].GetTensorDataAsSpan<long>().ToArray(),
            F(3), F(4), F(5), F(6), F(7), F(8), k);
    }
}
