using AdaTapeDml.Backends.Onnx.Compiler;
using AdaTapeDml.Backends.Onnx.Export;
using AdaTapeDml.Backends.Onnx.Graph;
using AdaTapeDml.Backends.Onnx.Proto;
using AdaTapeDml.Backends.Onnx.Runtime;
using Microsoft.ML.OnnxRuntime;
using DataType = AdaTapeDml.Backends.Onnx.Proto.TensorProto.Types.DataType;

namespace AdaTapeDml.Properties.Onnx;

/// <summary>Every emitted graph passes the DirectML check (opset 17, operators, element types, CPU-constant inputs,
/// int32 indices) and ONNX Runtime loads it with the declared shapes; and the check rejects a graph that breaks each
/// rule, with one line naming the node, operator, input and rule, at build time and at export.</summary>
public sealed class OnnxGraphs_DirectMlRules : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("adatape-onnx-rules-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Theory]
    [MemberData(nameof(OnnxTestModels.Names), MemberType = typeof(OnnxTestModels))]
    public void Every_graph_passes_the_DirectML_check(string name)
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
    public void An_operator_outside_the_DirectML_table_fails_the_build_naming_it()
    {
        var g = new OnnxGraphBuilder("bad");
        var x = g.Input("x", DataType.Float, 2);
        var error = Assert.Throws<UnsupportedOperatorException>(() => g.Op("Loop", [x]));
        Assert.Contains("'Loop'", error.Message);
        Assert.Contains("DirectML", error.Message);
    }

    [Fact]
    public void The_check_rejects_an_operator_outside_the_table()
    {
        var g = new OnnxGraphBuilder("bad");
        g.Output(g.Sigmoid(g.Input("x", DataType.Float, 4)), "y", DataType.Float, 4);
        var model = g.Build();
        model.Graph.Node.Add(new NodeProto { OpType = "NonZero", Name = "NonZero_9", Input = { "x" }, Output = { "nz" } }); // the builder refuses it

        var problem = Assert.Single(OnnxModelCheck.Problems(model));
        Assert.Contains("node NonZero_9 (NonZero)", problem);
        Assert.Contains("(rule: supported operator)", problem);
    }

    [Theory]
    [InlineData(DataType.Int32, "MatMul")]   // MatMul is registered for float16/float only
    [InlineData(DataType.Double, "Add")]     // no double arithmetic on DirectML
    public void The_check_rejects_a_type_DirectML_does_not_register(DataType type, string op)
    {
        var g = new OnnxGraphBuilder("bad");
        var a = g.Input("a", type, 2, 2);
        g.Output(g.Op(op, [a, g.Input("b", type, 2, 2)]), "y", type, 2, 2);

        var problems = OnnxModelCheck.Problems(g.Build());
        Assert.Equal(3, problems.Count);                                                       // inputs 0, 1 and output 0
        Assert.Contains($"node {op}_0 ({op}) input 0 'a': {DirectMlTypes.Name(type)} is not a type DirectML registers here", problems[0]);
        Assert.EndsWith("(rule: data type)", problems[0]);
        Assert.Empty(OnnxModelCheck.Problems(Valid(op)));
    }

    [Fact]
    public void The_check_rejects_a_CPU_constant_input_that_is_not_an_initializer()
    {
        var g = new OnnxGraphBuilder("bad");
        var x = g.Input("x", DataType.Float, 2, 3);
        var shape = g.Concat(0, g.Int64s(3), g.Int64s(2));                                     // computed, though only from constants
        g.Output(g.Op("Reshape", [x, shape]), "y", DataType.Float, 3, 2);

        var problem = Assert.Single(OnnxModelCheck.Problems(g.Build()));
        Assert.StartsWith($"node Reshape_1 (Reshape) input 1 '{shape}':", problem);
        Assert.EndsWith("(rule: CPU-constant input)", problem);
        var good = new OnnxGraphBuilder("good");
        good.Output(good.Reshape(good.Input("x", DataType.Float, 2, 3), 3, 2), "y", DataType.Float, 3, 2);
        Assert.Empty(OnnxModelCheck.Problems(good.Build()));
    }

    [Theory]
    [InlineData("Gather")]
    [InlineData("GatherElements")]
    public void The_check_rejects_int64_indices_where_DirectML_needs_int32(string op)
    {
        var problem = Assert.Single(OnnxModelCheck.Problems(Indexed(op, DataType.Int64)));
        Assert.StartsWith($"node {op}_0 ({op}) input 1 'indices': int64 indices", problem);
        Assert.EndsWith("(rule: int32 indices, ONNX Runtime issue 27118)", problem);
        Assert.Empty(OnnxModelCheck.Problems(Indexed(op, DataType.Int32)));
    }

    [Fact]
    public void Export_refuses_a_graph_that_breaks_a_rule_naming_stage_node_and_rule()
    {
        var compiled = Compile("transformer-parity") with { Full = Indexed("Gather", DataType.Int64) };
        var error = Assert.Throws<UnsupportedOperatorException>(() => OnnxExport.Graphs(compiled));
        Assert.StartsWith("full graph: node Gather_0 (Gather) input 1 'indices': int64 indices", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    /// <summary>y = op(a, b) over float [2, 2]: the same graph with a registered type.</summary>
    private static ModelProto Valid(string op)
    {
        var g = new OnnxGraphBuilder("good");
        g.Output(g.Op(op, [g.Input("a", DataType.Float, 2, 2), g.Input("b", DataType.Float, 2, 2)]), "y", DataType.Float, 2, 2);
        return g.Build();
    }

    /// <summary>Gather or GatherElements of a float [3, 3] along axis 1 with [3, 3] indices of the given type.</summary>
    private static ModelProto Indexed(string op, DataType indexType)
    {
        var g = new OnnxGraphBuilder("indexed");
        var x = g.Input("x", DataType.Float, 3, 3);
        var y = g.Op(op, [x, g.Input("indices", indexType, 3, 3)], OnnxAttribute.Int("axis", 1));
        Dim[] shape = op == "Gather" ? [3, 3, 3] : [3, 3];
        g.Output(y, "y", DataType.Float, shape);
        return g.Build();
    }

    private CompiledModel Compile(string name)
    {
        var path = OnnxTestModels.SaveRandom(OnnxTestModels.Specs[name], Path.Combine(dir, $"{name}.safetensors"), seed: 3);
        return OnnxInferenceSession.Compile(path);
    }
}
