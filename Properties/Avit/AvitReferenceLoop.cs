using AdaTapeDml.Backends.TorchSharp.Models;
using AdaTapeDml.Core.Specs;
using static TorchSharp.torch;

namespace AdaTapeDml.Properties.Avit;

/// <summary>A-ViT written the straightforward way, one sample at a time: each layer runs its block over the sample's
/// active tokens only (halted tokens are simply left out, not masked), and the halting bookkeeping is plain C# per
/// token. The oracle that the masked dense forward of AvitModel (and so the ONNX graph) must equal.</summary>
public static class AvitReferenceLoop
{
    /// <param name="input">One sample [1, ...input shape].</param>
    /// <returns>Logits of the sample, each token's depth and, per layer, each token's cumulative score.</returns>
    public static (float[] Logits, int[] Depths, float[][] Cumulative) Run(AvitModel model, AvitModelSpec spec, Tensor input)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var halting = spec.Halting;
        var states = model.Embed(input)[0];                                                     // [N, D]
        var (n, depth) = ((int)states.shape[0], spec.Encoder.Depth);
        var threshold = (float)(1 - halting.Eps);                                               // the backends compare in float32
        var (c, remainder, depths) = (new float[n], Enumerable.Repeat(1f, n).ToArray(), new int[n]);
        var running = Enumerable.Range(0, n).ToList();
        var output = zeros_like(states);
        var cumulative = new float[depth][];
        for (var l = 0; l < depth; l++)
        {
            if (running.Count > 0)
            {
                var rows = tensor(running.Select(i => (long)i).ToArray());
                var y = model.Block(l).forward(states.index_select(0, rows).unsqueeze(0), null, 0)[0];   // [active, D]
                var scores = sigmoid(y[.., 0] * halting.GateScale - halting.GateCenter).data<float>().ToArray();
                var next = new List<int>();
                for (var j = 0; j < running.Count; j++)
                {
                    var i = running[j];
                    var h = l == depth - 1 ? 1f : scores[j];
                    c[i] += h;
                    depths[i]++;
                    if (c[i] > threshold) output[i] = output[i] + y[j] * remainder[i];          // halts: its remainder
                    else if (c[i] < threshold)
                    {
                        remainder[i] -= h;
                        output[i] = output[i] + y[j] * h;                                       // runs on: its score
                        next.Add(i);
                    }
                    states[i] = y[j];
                }
                running = next;
            }
            cumulative[l] = (float[])c.Clone();
        }
        var logits = model.Classify(output.unsqueeze(0))[0].data<float>().ToArray();
        return (logits, depths, cumulative);
    }
}
