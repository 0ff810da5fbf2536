using AdaTapeDml.Backends.Onnx.Graph;
using AdaTapeDml.Backends.Onnx.Proto;
using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Serialization;
using AdaTapeDml.Core.Specs;
using DataType = AdaTapeDml.Backends.Onnx.Proto.TensorProto.Types.DataType;

namespace AdaTapeDml.Backends.Onnx.Compiler;

/// <summary>Compiles a Core spec and a checkpoint's weights into self-contained ONNX graphs (opset 17, DirectML operators
/// only, no control flow, no data-dependent shapes). The one switch over model kinds in this backend.</summary>
public static class OnnxCompiler
{
    /// <param name="traceReads">The READ graph also outputs each step's bank indices and weights (AdaTape only).</param>
    public static CompiledModel Compile(RunSpec spec, ModelWeights weights, bool traceReads = false)
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
                var (n, t) = (stages.Tokens, adaTape.Tape.NumTapeTokens);

                var full = new OnnxGraphBuilder($"{spec.Name}-full");
                var (hidden, tape, lengths) = stages.Read(full, full.Input(StageNames.Input, DataType.Float, inputDims));
                full.Output(stages.Encode(full, hidden, tape, lengths), StageNames.Logits, DataType.Float, StageNames.BatchDim, classes);
                full.Output(lengths, StageNames.Lengths, DataType.Int64, StageNames.BatchDim);

                var read = new OnnxGraphBuilder($"{spec.Name}-read");
                var trace = traceReads ? new AtrGraphTrace() : null;
                (hidden, tape, lengths) = stages.Read(read, read.Input(StageNames.Input, DataType.Float, inputDims), trace);
                read.Output(hidden, StageNames.Hidden, DataType.Float, StageNames.BatchDim, n, width);
                read.Output(tape, StageNames.Tape, DataType.Float, StageNames.BatchDim, t, width);
                read.Output(lengths, StageNames.Lengths, DataType.Int64, StageNames.BatchDim);
                if (trace is not null)
                {
                    var (steps, k) = (adaTape.Tape.MaxSteps, (int)Math.Min(adaTape.Tape.CandidatesPerStep, Core.Cost.CostModel.BankSize(adaTape.Bank, spec.Task)));
                    read.Output(trace.MergedIndices(read), StageNames.TraceIndices, DataType.Int64, StageNames.BatchDim, steps, k);
                    read.Output(trace.StepWeights(read), StageNames.TraceWeights, DataType.Float, StageNames.BatchDim, steps, k);
                }

                var encode = new OnnxGraphBuilder($"{spec.Name}-encode");
                var logits = stages.Encode(encode,
                    encode.Input(StageNames.Hidden, DataType.Float, StageNames.BatchDim, n, width),
                    encode.Input(StageNames.Tape, DataType.Float, StageNames.BatchDim, StageNames.TapeLengthDim, width),
                    encode.Input(StageNames.Lengths, DataType.Int64, StageNames.BatchDim));
                encode.Output(logits, StageNames.Logits, DataType.Float, StageNames.BatchDim, classes);
                return new CompiledModel(spec, full.Build(metadata), read.Build(metadata), encode.Build(metadata), n, t, trace is not null);
            }
            case TransformerModelSpec or UniversalTransformerModelSpec or AvitModelSpec:
            {
                var full = new OnnxGraphBuilder($"{spec.Name}-full");
                var input = full.Input(StageNames.Input, DataType.Float, inputDims);
                var tokens = InputTokens.Count(InputTokens.For(spec.Model, spec.Task), spec.Model.Encoder, spec.Task);
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
                return new CompiledModel(spec, full.Build(metadata), null, null, tokens, 0);
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(spec), spec.Model, "unknown model kind");
        }
    }

    /// <summary>The serialized bytes of a model (what ONNX Runtime loads and export writes).</summary>
    public static byte[] Bytes(ModelProto model) => Google.Protobuf.MessageExtensions.ToByteArray(model);
}
