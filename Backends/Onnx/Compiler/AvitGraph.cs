using AdaTapeDml.Core.Layout;
using AdaTapeDml.Backends.Onnx.Graph;
using AdaTapeDml.Core.Specs;
using DataType = AdaTapeDml.Backends.Onnx.Proto.TensorProto.Types.DataType;

namespace AdaTapeDml.Backends.Onnx.Compiler;

/// <summary>A-ViT (AvitModel.cs) with its layers unrolled: masked dense execution, every layer over all tokens, halted
/// tokens zeroed and hidden as keys, the halting-weighted output's class token classified. The same operations in the same
/// order as the TorchSharp forward, so the halting comparisons see the same values.</summary>
public static class AvitGraph
{
    /// <summary>Key logit of a halted token (AvitModel.HaltedKeyBias): finite, so an all-halted sample gives no NaN.</summary>
    private const float HaltedKeyBias = -1e9f;

    /// <returns>logits [B, classes] and token depths [B, N] int64 (layers each token went through).</returns>
    public static (string Logits, string Depths) Emit(OnnxGraphBuilder g, ModelWeights w, AvitModelSpec spec, TaskSpec task, string input)
    {
        var (e, halting) = (spec.Encoder, spec.Halting);
        var layout = ModelLayout.Of(spec, task);
        var tokens = layout.Tokens;
        var x = EmbeddingLayer.Emit(g, w, layout, e, task, input);                                            // [B, N, D]
        var (zero, one) = (g.Scalar(0f), g.Scalar(1f));
        var threshold = g.Scalar((float)(1 - halting.Eps));                                                  // torch compares in float32
        var c = g.Mul(g.ReduceSum(x, 2), zero);                                                              // [B, N] zeros
        var (remainder, active, depths) = (g.Add(c, one), g.Add(c, one), c);
        var output = g.Mul(x, zero);
        for (var l = 0; l < e.Depth; l++)
        {
            x = g.Mul(x, g.Unsqueeze(active, -1));                                                           // halted tokens are zeroed
            var keyBias = g.Unsqueeze(g.Mul(g.Sub(one, active), g.Scalar(HaltedKeyBias)), 1, 2);            // [B, 1, 1, N]
            var y = EncoderBlockLayer.Emit(g, w, $"blocks.{l}", e, x, keyBias, tokens, 0);
            var channel0 = g.Gather(y, g.Int32Scalar(0), 2);                                                 // [B, N]
            var h = l == e.Depth - 1
                ? g.Add(g.Mul(c, zero), one)                                                                 // every token halts by the last layer
                : g.Sigmoid(g.Sub(g.Mul(channel0, g.Scalar((float)halting.GateScale)), g.Scalar((float)halting.GateCenter)));
            c = g.Add(c, h);
            depths = g.Add(depths, active);
            var halts = g.Mul(active, g.Cast(g.Greater(c, threshold), DataType.Float));                    // tokens that halt here
            output = g.Add(output, g.Mul(y, g.Unsqueeze(g.Mul(remainder, halts), -1)));                     // contribute their remainder
            var still = g.Cast(g.Less(c, threshold), DataType.Float);
            remainder = g.Sub(remainder, g.Mul(still, h));
            output = g.Add(output, g.Mul(y, g.Unsqueeze(g.Mul(h, still), -1)));                             // running tokens contribute h
            (active, x) = (still, y);
        }
        return (HeadLayer.Emit(g, w, e, task.NumClasses, output, null), g.Cast(depths, DataType.Int64));
    }
}
