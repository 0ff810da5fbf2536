using AdaTapeDml.Backends.Onnx.Compiler;
using AdaTapeDml.Backends.Onnx.Graph;
using AdaTapeDml.Backends.Onnx.Runtime;
using Microsoft.ML.OnnxRuntime;
using DataType = AdaTapeDml.Backends.Onnx.Proto.TensorProto.Types.DataType;

namespace AdaTapeDml.Properties.Onnx;

/// <summary>Every emitted graph imports opset 17 only and uses only DirectML-supported operators (no control flow);
/// ONNX Runtime loads it, infers its shapes and produces outputs of the declared shapes; an op outside the list fails
/// the build with a message naming it.</summary>
public sealed class OnnxGraphs_DirectMlRules : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("adatape-onnx-rules-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Theory]
    [MemberData(nameof(OnnxTestModels.Names), MemberType = typeof(OnnxTestModels))]
    public void Every_graph_uses_opset_17_and_only_DirectML_operators(string name)
    {
        var compiled = Compile(name);
        foreach (var (stage, model) in compiled.Graphs())
        {
            Assert.Empty(OnnxModelCheck.Problems(model));
            Assert.Equal(DirectMlOperators.Opset, model.OpsetImport.Single().Version);
            Assert.DoesNotContain(model.Graph.Node, n => n.OpType is "Loop" or "If" or "Scan");
            Assert.True(model.Graph.Node.Count > 0, stage);
        }
    }

    [Theory]
    [MemberData(nameof(OnnxTestModels.Names), MemberType = typeof(OnnxTestModels))]
    public void Full_graph_loads_in_onnx_runtime_with_the_declared_shapes(string name)
    {
        var compiled = Compile(name);
        using var options = new SessionOptions();
        using var session = new InferenceSession(OnnxCompiler.Bytes(compiled.Full), options);
        var logits = session.OutputMetadata[StageNames.Logits];
        Assert.Equal([-1, compiled.Spec.Task.NumClasses], logits.Dimensions);
        Assert.Equal(StageNames.BatchDim, logits.SymbolicDimensions[0]);
        const int count = 3;
        using var input = OrtValue.CreateTensorValueFromMemory(OnnxTestModels.Inputs(compiled.Spec, count, 1),
            [count, .. AdaTapeDml.Core.Contracts.InputShapes.Of(compiled.Spec.Task)]);
        using var outputs = session.Run(new RunOptions(), [StageNames.Input], [input], session.OutputNames);
        Assert.Equal([count, compiled.Spec.Task.NumClasses], outputs[0].GetTensorTypeAndShape().Shape);
        if (compiled.IsElastic) Assert.Equal([count], outputs[1].GetTensorTypeAndShape().Shape);
    }

    [Fact]
    public void Encode_graph_pins_tape_length_with_a_free_dimension_override()
    {
        var compiled = Compile("adatape-learnable");
        using var options = SessionOptionsFactory.Create(ExecutionProviderKind.Cpu, new OnnxOptions(), new Dictionary<string, long> { [StageNames.TapeLengthDim] = 3 });
        using var session = new InferenceSession(OnnxCompiler.Bytes(compiled.Encode!), options);
        Assert.Equal([-1, 3, compiled.Spec.Model.Encoder.Width], session.InputMetadata[StageNames.Tape].Dimensions);
    }

    [Fact]
    public void An_operator_outside_the_DirectML_list_fails_the_build_naming_it()
    {
        var g = new OnnxGraphBuilder("bad");
        var x = g.Input("x", DataType.Float, 2);
        var error = Assert.Throws<UnsupportedOperatorException>(() => g.Op("Loop", [x]));
        Assert.Contains("'Loop'", error.Message);
        Assert.Contains("DirectML", error.Message);
    }

    private CompiledModel Compile(string name)
    {
        var path = OnnxTestModels.SaveRandom(OnnxTestModels.Specs[name], Path.Combine(dir, $"{name}.safetensors"), seed: 3);
        return OnnxInferenceSession.Compile(path);
    }
}
