using DataType = AdaTapeDml.Backends.Onnx.Proto.TensorProto.Types.DataType;

namespace AdaTapeDml.Backends.Onnx.Graph;

/// <summary>The element-type groups the DirectML execution provider registers kernels with, named as the
/// SupportedTensorDataTypes groups of ONNX Runtime's DmlExecutionProvider/src/Operators/OperatorRegistration.cpp.</summary>
public static class DirectMlTypes
{
    public static readonly IReadOnlySet<DataType> BoolOnly = Set(DataType.Bool);
    public static readonly IReadOnlySet<DataType> Int64Only = Set(DataType.Int64);
    public static readonly IReadOnlySet<DataType> Float32Only = Set(DataType.Float);
    public static readonly IReadOnlySet<DataType> Float16To32 = Set(DataType.Float16, DataType.Float);
    public static readonly IReadOnlySet<DataType> Ints32And64 = Set(DataType.Int32, DataType.Int64);

    /// <summary>Ints8to32 | Float16to32.</summary>
    public static readonly IReadOnlySet<DataType> NumericDefault = Set(DataType.Uint8, DataType.Int8, DataType.Uint16,
        DataType.Int16, DataType.Uint32, DataType.Int32, DataType.Float16, DataType.Float);

    /// <summary>Float16to32 | Ints8to64.</summary>
    public static readonly IReadOnlySet<DataType> Float16To32Ints8To64 = Set(DataType.Float16, DataType.Float, DataType.Uint8,
        DataType.Int8, DataType.Uint16, DataType.Int16, DataType.Uint32, DataType.Int32, DataType.Uint64, DataType.Int64);

    /// <summary>Float16to32 | Ints32Bit | Ints64Bit.</summary>
    public static readonly IReadOnlySet<DataType> Float16To32Ints32To64 = Set(DataType.Float16, DataType.Float, DataType.Uint32,
        DataType.Int32, DataType.Uint64, DataType.Int64);

    /// <summary>NumericDefault | Ints64Bit (TopK's T).</summary>
    public static readonly IReadOnlySet<DataType> NumericDefaultInts64 = Set([.. NumericDefault, DataType.Uint64, DataType.Int64]);

    /// <summary>Every fixed-size scalar type: 8- to 64-bit integers, float16/32/64, bool.</summary>
    public static readonly IReadOnlySet<DataType> AllScalars = Set([.. Float16To32Ints8To64, DataType.Double, DataType.Bool]);

    private static IReadOnlySet<DataType> Set(params DataType[] types) => new HashSet<DataType>(types);

    /// <summary>"float", "int64", ...: the ONNX spelling, for messages.</summary>
    public static string Name(DataType type) => type switch
    {
        DataType.Float => "float",
        DataType.Double => "double",
        _ => type.ToString().ToLowerInvariant(),
    };

    public static string Names(IReadOnlySet<DataType> types) => "{" + string.Join(", ", types.Order().Select(Name)) + "}";
}
