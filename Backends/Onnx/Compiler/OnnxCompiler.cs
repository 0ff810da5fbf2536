using AdaTapeDml.Backends.Onnx.Graph;
using AdaTapeDml.Backends.Onnx.Proto;
using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Layout;
using AdaTapeDml.Core.Numerics;
using AdaTapeDml.Core.Serialization;
using AdaTapeDml.Core.Specs;
using DataType = AdaTapeDml.Backends.Onnx.Proto.TensorProto.Types.DataType;

namespace AdaTapeDml.Backends.Onnx.Compiler;

/// <summary>Compiles a Core spec and a checkpoint's weights into self-contained ONNX graphs (opset 17, DirectML operators
/// only, no control flow, no data-dependent shapes). The one switch over model kinds in this backend.</summary>
public static class OnnxCompiler
{
    public static CompiledModel Compile(RunSpec spec, ModelWeights weights)
    {
        var width = spec.Model.Encoder.Width;
        var classes = spec.Task.NumClasses;
        Dim[] inputDims = [StageNames.BatchDim, .. InputShapes.Of(spec.Task).Select(d => (Dim)d)];
        var metadata = new Dictionary<string, string> { ["adatape.spec"] = RunSpecJson.Serialize(spec) };
        switch (spec.Model)
        {
            case AdaTapeModelSpec adaTape:
            {
                var stages = new AdaTapeGraphs(adaTape, spec.Task, weights);
                var (n, layout) = (stages.Tokens, stages.Layout);

                var full = new OnnxGraphBuilder($"{spec.Name}-full");
                var (hidden, tape, lengths) = stages.Read(full, full.Input(StageNames.Input, DataType.Float, inputDims));
                full.Output(stages.Encode(full, hidden, tape, lengths), StageNames.Logits, DataType.Float, StageNames.BatchDim, classes);
                full.Output(lengths, StageNames.Lengths, DataType.Int64, StageNames.BatchDim);

                var read = new OnnxGraphBuilder($"{spec.Name}-read");
                var readInput = read.Input(StageNames.Input, DataType.Float, inputDims);
                var (readHidden, query) = stages.ReadQuery(read, readInput);
                read.Output(readHidden, StageNames.Hidden, DataType.Float, StageNames.BatchDim, n, width);
                read.Output(query, StageNames.Query, DataType.Float, StageNames.BatchDim, width);
                if (layout.Bank == BankForm.PerSample)
                    read.Output(BankLayer.Emit(read, weights, adaTape.Bank, spec.Task, width, readInput).Bank, StageNames.Bank, DataType.Float,
                        StageNames.BatchDim, layout.BankSize, width);

                var encode = new OnnxGraphBuilder($"{spec.Name}-encode");
                var logits = stages.Encode(encode,
                    encode.Input(StageNames.Hidden, DataType.Float, StageNames.BatchDim, n, width),
                    encode.Input(StageNames.Tape, DataType.Float, StageNames.BatchDim, StageNames.TapeLengthDim, width),
                    encode.Input(StageNames.Lengths, DataType.Int64, StageNames.BatchDim));
                encode.Output(logits, StageNames.Logits, DataType.Float, StageNames.BatchDim, classes);

                var packed = new OnnxGraphBuilder($"{spec.Name}-encode-packed");
                var packedHidden = packed.Input(StageNames.Hidden, DataType.Float, StageNames.BatchDim, n, width);
                var packedTape = packed.Input(StageNames.Tape, DataType.Float, StageNames.TapeRowsDim, width);
                var packedLogits = stages.EncodePacked(packed, packedHidden, packedTape, PackedGraphInputs.Declare(packed, adaTape.Tape.EncTtMlpDim > 0));
                packed.Output(packedLogits, StageNames.Logits, DataType.Float, StageNames.BatchDim, classes);
                var norm = new LayerNormParams(weights.Get("bank_norm.weight", width).Values, weights.Get("bank_norm.bias", width).Values);
                return new CompiledModel(spec, full.Build(metadata), read.Build(metadata), encode.Build(metadata), packed.Build(metadata), layout,
                    norm, stages.HostBankRows());
            }
            case TransformerModelSpec or UniversalTransformerModelSpec or AvitModelSpec:
            {
                var full = new OnnxGraphBuilder($"{spec.Name}-full");
                var input = full.Input(StageNames.Input, DataType.Float, inputDims);
                var layout = ModelLayout.Of(spec.Model, spec.Task);
                var tokens = layout.Tokens;
                switch (spec.Model)
                {
                    case UniversalTransformerModelSpec ut:
                        var (utLogits, steps) = UniversalTransformerGraph.Emit(full, weights, ut, spec.Task, input);
                        full.Output(utLogits, StageNames.Logits, DataType.Float, StageNames.BatchDim, classes);
                        full.Output(steps, StageNames.Steps, DataType.Int64, StageNames.BatchDim);
                        break;
                    case AvitModelSpec avit:
                        var (avitLogits, depths) = AvitGraph.Emit(full, weights, avit, spec.Task, input);
                        full.Output(avitLogits, StageNames.Logits, DataType.Float, StageNames.BatchDim, classes);
                        full.Output(depths, StageNames.Depths, DataType.Int64, StageNames.BatchDim, tokens);
                        break;
                    default:
                        var logits = TransformerGraph.Emit(full, weights, (TransformerModelSpec)spec.Model, spec.Task, input);
                        full.Output(logits, StageNames.Logits, DataType.Float, StageNames.BatchDim, classes);
                        break;
                }
                return new CompiledModel(spec, full.Build(metadata), null, null, null, layout);
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(spec), spec.Model, "unknown model kind");
        }
    }

    /// <summary>The serialized bytes of a model (what ONNX Runtime loads and export writes).</summary>
    public static byte[] Bytes(ModelProto model) => Google.Protobuf.MessageExtensions.ToByteArray(model);
}
