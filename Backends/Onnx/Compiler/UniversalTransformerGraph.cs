using AdaTapeDml.Core.Layout;
using AdaTapeDml.Backends.Onnx.Graph;
using AdaTapeDml.Core.Specs;
using DataType = AdaTapeDml.Backends.Onnx.Proto.TensorProto.Types.DataType;

namespace AdaTapeDml.Backends.Onnx.Compiler;

/// <summary>The Universal Transformer with ACT (UniversalTransformerModel.cs), its halting loop unrolled to maxSteps.
/// TorchSharp stops when no position of the batch has a halting probability below the threshold; here every step is
/// computed and its updates are kept only while that batch-wide condition holds, which gives the same result.</summary>
public static class UniversalTransformerGraph
{
    /// <returns>logits [B, classes] and per-sample steps [B] int64 (steps until all the sample's positions halted).</returns>
    public static (string Logits, string Steps) Emit(OnnxGraphBuilder g, ModelWeights w, UniversalTransformerModelSpec spec, TaskSpec task, string input)
    {
        var (e, act) = (spec.Encoder, spec.Act);
        var layout = ModelLayout.Of(spec, task);
        var tokens = layout.Tokens;
        var state = EmbeddingLayer.Emit(g, w, layout, e, task, input);                                        // [B, n, D]
        var threshold = g.Scalar((float)act.Threshold);                                                      // torch compares in float32
        var halting = g.Mul(g.ReduceSum(state, 2), g.Scalar(0f));                                            // [B, n] zeros
        var remainders = halting;
        var output = g.Mul(state, g.Scalar(0f));
        var stepEmbedding = w.Get("step_embedding", act.MaxSteps, e.Width).Values;
        var one = g.Scalar(1f);
        var sampleSteps = g.ReduceSum(halting, 1);                                                          // [B] zeros
        for (var s = 0; s < act.MaxSteps; s++)
        {
            var anyRunning = g.Op("ReduceMax", [g.Cast(g.Less(halting, threshold), DataType.Float)], OnnxAttribute.Int("keepdims", 0));
            var active = g.Greater(anyRunning, g.Scalar(0.5f));                                               // the loop condition, batch-wide
            var sampleRunning = g.ReduceMax(g.Cast(g.Less(halting, threshold), DataType.Float), 1);          // [B] the condition alone
            sampleSteps = g.Where(active, g.Add(sampleSteps, sampleRunning), sampleSteps);
            var stepped = g.Add(state, g.Weight($"step_embedding.{s}", stepEmbedding.AsSpan(s * e.Width, e.Width).ToArray(), e.Width)); // timing signal
            var p = g.Squeeze(g.Sigmoid(DenseLayers.Dense(g, w, "halting", stepped, e.Width, 1)), -1);       // [B, n]
            var running = g.Cast(g.Less(halting, one), DataType.Float);
            var proposed = g.Add(halting, g.Mul(p, running));
            var newHalted = g.Mul(g.Cast(g.Greater(proposed, threshold), DataType.Float), running);
            running = g.Mul(g.Cast(g.LessOrEqual(proposed, threshold), DataType.Float), running);
            var h1 = g.Add(halting, g.Mul(p, running));
            var r1 = g.Add(remainders, g.Mul(newHalted, g.Sub(one, h1)));
            var h2 = g.Add(h1, g.Mul(newHalted, r1));
            var updateWeights = g.Unsqueeze(g.Add(g.Mul(p, running), g.Mul(newHalted, r1)), -1);             // [B, n, 1]
            var next = EncoderBlockLayer.Emit(g, w, "block", e, stepped, null, tokens, 0);
            var blended = g.Add(g.Mul(next, updateWeights), g.Mul(output, g.Sub(one, updateWeights)));       // ACT-weighted mean of states
            (halting, remainders) = (g.Where(active, h2, halting), g.Where(active, r1, remainders));
            (state, output) = (g.Where(active, next, state), g.Where(active, blended, output));
        }
        return (HeadLayer.Emit(g, w, e, task.NumClasses, output, null), g.Cast(sampleSteps, DataType.Int64));
    }
}
