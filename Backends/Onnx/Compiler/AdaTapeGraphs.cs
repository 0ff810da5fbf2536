using AdaTapeDml.Backends.Onnx.Graph;
using AdaTapeDml.Core.Atr;
using AdaTapeDml.Core.Layout;
using AdaTapeDml.Core.Specs;
using DataType = AdaTapeDml.Backends.Onnx.Proto.TensorProto.Types.DataType;

namespace AdaTapeDml.Backends.Onnx.Compiler;

/// <summary>AdaTape as graph pieces (AdaTapeModel.cs). READ = embedding, blocks before the tape layer, the pooled query
/// and the bank (the ATR itself runs on the host in sessions, or in the graph for the self-contained full graph); ENCODE =
/// the tape MLP over the tape tokens it is given, then the remaining blocks and the head, either padded ([B, L] slots
/// with slots at or beyond each sample's length masked as keys) or packed (one row per real token, <see cref="PackedLayout"/>).</summary>
public sealed class AdaTapeGraphs(AdaTapeModelSpec spec, TaskSpec task, ModelWeights weights)
{
    private EncoderSpec E => spec.Encoder;

    public ModelLayout Layout { get; } = ModelLayout.Of(spec, task);

    public int Tokens => Layout.Tokens;

    /// <returns>hidden [B, n, D] after the blocks before the tape layer, the pooled query [B, D] and the bank ([N, D] when
    /// shared, else [B, N, D]), both before the shared LayerNorm.</returns>
    public (string Hidden, string Query, string Bank) ReadInputs(OnnxGraphBuilder g, string input)
    {
        var (x, query) = ReadQuery(g, input);
        return (x, query, BankLayer.Emit(g, weights, spec.Bank, task, E.Width, input).Bank);
    }

    /// <returns><see cref="ReadInputs"/> without the bank (for sessions whose host ATR holds it: shared or a lookup).</returns>
    public (string Hidden, string Query) ReadQuery(OnnxGraphBuilder g, string input)
    {
        var x = EmbeddingLayer.Emit(g, weights, Layout, E, task, input);                                     // [B, n, D]
        for (var l = 0; l < Layout.ReadBlocks; l++) x = EncoderBlockLayer.Emit(g, weights, $"blocks.{l}", E, x, null, Tokens, 0, singleToken: Tokens == 1);
        var query = E.Classifier == Classifier.Token ? g.Gather(x, g.Int32Scalar(0), 1) : g.ReduceMean(x, 1); // [B, D]
        return (x, query);
    }

    /// <summary>The bank rows a session's host ATR holds: a learned bank's [N, D], or a lookup bank's table [3, D]
    /// (<see cref="LookupBank"/>); null when READ computes the bank from each input.</summary>
    public float[]? HostBankRows() => Layout.Bank switch
    {
        BankForm.Shared => weights.Get("bank.tape_tokens", Layout.BankSize, E.Width).Values,
        BankForm.Lookup => LookupBank.Table(weights.Get("bank.pre_bank.weight", E.Width, LookupBank.Rows).Values,
            weights.Get("bank.pre_bank.bias", E.Width).Values),
        _ => null,
    };

    /// <returns>hidden [B, n, D], tape [B, T, D] as the ATR merged it in the graph (all slots; the ones beyond a length
    /// are zero), lengths [B] int64.</returns>
    public (string Hidden, string Tape, string Lengths) Read(OnnxGraphBuilder g, string input)
    {
        var (x, query, bank) = ReadInputs(g, input);
        var (tokens, lengths) = AtrGraph.Emit(g, weights, AtrConfig.From(spec.Tape, E.Width), E.Width, query, bank, Layout.SharedBank, Layout.BankSize);
        return (x, tokens, lengths);
    }

    /// <param name="tape">[B, L, D] ATR tape tokens (before the tape MLP).</param>
    /// <returns>logits [B, classes] of [hidden ; tapeMlp(tape)] where slot j of sample b is valid iff j &lt; lengths[b].</returns>
    public string Encode(OnnxGraphBuilder g, string hidden, string tape, string lengths)
    {
        // Slot indices from the tape itself (running count of ones, exact in float), not Range over Shape(tape): DirectML
        // needs Range's inputs as CPU constants, and a computed limit would keep the node out of its graph.
        var slots = g.Sub(g.CumSum(g.Cast(g.AllTrue(g.Slice(tape, 2, 0, 1)), DataType.Float), 1), g.Scalar(1f)); // [B, L, 1]: 0..L-1
        var slotValid = g.Less(g.Squeeze(slots, 2), g.Unsqueeze(g.Cast(lengths, DataType.Float), 1));       // [B, L]
        var keyBias = g.Unsqueeze(g.PadFront2d(g.Where(slotValid, g.Scalar(0f), g.Scalar(-1e9f)), Tokens, 0f), 1, 2); // [B, 1, 1, n + L]
        var valid = g.PadFront2d(g.Cast(slotValid, DataType.Float), Tokens, 1f);                            // [B, n + L]
        if (spec.Tape.TtMlpDim > 0) tape = DenseLayers.GluMlp(g, weights, "tt_mlp", tape, E.Width, spec.Tape.TtMlpDim);
        var x = g.Concat(1, hidden, tape);                                                                   // [B, n + L, D]
        for (var l = Layout.ReadBlocks; l < E.Depth; l++)
            x = EncoderBlockLayer.Emit(g, weights, $"blocks.{l}", E, x, keyBias, Tokens, spec.Tape.EncTtMlpDim);
        return HeadLayer.Emit(g, weights, E, task.NumClasses, x, spec.Tape.Pooling == TapePooling.ValidOnly ? valid : null);
    }

    /// <summary>Packed ENCODE: per-token work over [B·n input rows ; tape rows], attention per sample through the layout's
    /// index tensors (computed on the host, int32 as DirectML wants for Gather).</summary>
    /// <param name="packed">The layout's tensors as graph inputs.</param>
    /// <returns>logits [B, classes].</returns>
    public string EncodePacked(OnnxGraphBuilder g, string hidden, string tape, PackedGraphInputs packed)
    {
        if (spec.Tape.TtMlpDim > 0) tape = DenseLayers.GluMlp(g, weights, "tt_mlp", tape, E.Width, spec.Tape.TtMlpDim);
        var x = g.Concat(0, g.Reshape(hidden, -1, E.Width), tape);                                          // [rows, D]
        for (var l = Layout.ReadBlocks; l < E.Depth; l++)
            x = EncoderBlockLayer.EmitPacked(g, weights, $"blocks.{l}", E, x, packed, spec.Tape.EncTtMlpDim);
        return HeadLayer.EmitPacked(g, weights, E, task.NumClasses, x, packed);
    }
}
