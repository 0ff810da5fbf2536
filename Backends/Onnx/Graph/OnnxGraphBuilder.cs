using AdaTapeDml.Backends.Onnx.Proto;
using Google.Protobuf;
using DataType = AdaTapeDml.Backends.Onnx.Proto.TensorProto.Types.DataType;

namespace AdaTapeDml.Backends.Onnx.Graph;

/// <summary>Builds one ONNX graph: named inputs and outputs, weights as initializers, nodes with unique value names.
/// Every node's operator is checked against the DirectML operator table as it is added; types, CPU-constant inputs and
/// index types are checked on the finished model (<see cref="OnnxModelCheck"/>).</summary>
public sealed class OnnxGraphBuilder(string name)
{
    private readonly GraphProto graph = new() { Name = name };
    private readonly Dictionary<string, string> integerConstants = new(StringComparer.Ordinal);
    private readonly Dictionary<float, string> floatScalars = [];
    private int counter;

    /// <summary>Declares a graph input and returns its name.</summary>
    public string Input(string inputName, DataType type, params Dim[] dims)
    {
        graph.Input.Add(ValueInfo(inputName, type, dims));
        return inputName;
    }

    /// <summary>Exposes <paramref name="value"/> as graph output <paramref name="outputName"/> with the declared shape.</summary>
    public void Output(string value, string outputName, DataType type, params Dim[] dims)
    {
        if (value != outputName) Node("Identity", [value], [outputName]);
        graph.Output.Add(ValueInfo(outputName, type, dims));
    }

    /// <summary>A float32 weight (row-major) as an initializer; returns its name.</summary>
    public string Weight(string hint, float[] values, params long[] shape)
    {
        var bytes = new byte[values.Length * sizeof(float)];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);                     // little-endian hosts only (x64, arm64)
        var tensor = new TensorProto { Name = Fresh(hint), DataType = (int)DataType.Float, RawData = ByteString.CopyFrom(bytes) };
        tensor.Dims.AddRange(shape);
        graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>A float32 scalar constant (shape []), shared by every use of the same value.</summary>
    public string Scalar(float value)
    {
        if (floatScalars.TryGetValue(value, out var existing)) return existing;
        var tensor = new TensorProto { Name = Fresh("c"), DataType = (int)DataType.Float };
        tensor.FloatData.Add(value);
        graph.Initializer.Add(tensor);
        return floatScalars[value] = tensor.Name;
    }

    /// <summary>An int64 vector constant (shapes, axes, indices), shared by every use of the same values.</summary>
    public string Int64s(params long[] values)
    {
        var key = string.Join(",", values);
        if (integerConstants.TryGetValue(key, out var existing)) return existing;
        var tensor = new TensorProto { Name = Fresh("i"), DataType = (int)DataType.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.AddRange(values);
        graph.Initializer.Add(tensor);
        return integerConstants[key] = tensor.Name;
    }

    /// <summary>An int64 scalar constant (shape []): an axis input that must be 0-D (CumSum).</summary>
    public string Int64Scalar(long value) => IntegerScalar($"int64:{value}", DataType.Int64, t => t.Int64Data.Add(value));

    /// <summary>An int32 scalar constant (shape []): a Gather index that drops the axis (DirectML wants int32 indices,
    /// see <see cref="DirectMlOperators"/>).</summary>
    public string Int32Scalar(int value) => IntegerScalar($"int32:{value}", DataType.Int32, t => t.Int32Data.Add(value));

    /// <summary>Adds a node with one output; returns the output's name.</summary>
    public string Op(string opType, string[] inputs, params AttributeProto[] attributes) =>
        Node(opType, inputs, [Fresh(opType)], attributes)[0];

    /// <summary>Adds a node with <paramref name="outputCount"/> outputs; returns their names.</summary>
    public string[] Op(string opType, string[] inputs, int outputCount, params AttributeProto[] attributes) =>
        Node(opType, inputs, Enumerable.Range(0, outputCount).Select(_ => Fresh(opType)).ToArray(), attributes);

    /// <summary>The finished model: IR version 8 (the IR of opset 17), ONNX domain at <see cref="DirectMlOperators.Opset"/>.</summary>
    public ModelProto Build(IReadOnlyDictionary<string, string>? metadata = null)
    {
        var model = new ModelProto { IrVersion = 8, ProducerName = "AdaTapeDml", ProducerVersion = "1", Graph = graph.Clone() };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = DirectMlOperators.Opset });
        foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return model;
    }

    private string[] Node(string opType, string[] inputs, string[] outputs, params AttributeProto[] attributes)
    {
        if (DirectMlOperators.Problem(opType) is { } problem) throw new UnsupportedOperatorException(problem);
        var node = new NodeProto { OpType = opType, Name = $"{opType}_{graph.Node.Count}" };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        graph.Node.Add(node);
        return outputs;
    }

    private string IntegerScalar(string key, DataType type, Action<TensorProto> fill)
    {
        if (integerConstants.TryGetValue(key, out var existing)) return existing;
        var tensor = new TensorProto { Name = Fresh("s"), DataType = (int)type };
        fill(tensor);
        graph.Initializer.Add(tensor);
        return integerConstants[key] = tensor.Name;
    }

    private string Fresh(string hint) => $"{hint}_{counter++}";

    private static ValueInfoProto ValueInfo(string name, DataType type, Dim[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in dims)
            shape.Dim.Add(dim switch
            {
                FixedDim f => new TensorShapeProto.Types.Dimension { DimValue = f.Size },
                NamedDim n => new TensorShapeProto.Types.Dimension { DimParam = n.Name },
                _ => throw new ArgumentOutOfRangeException(nameof(dims), dim, "unknown dimension kind"),
            });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }
}
