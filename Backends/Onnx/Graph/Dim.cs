namespace AdaTapeDml.Backends.Onnx.Graph;

/// <summary>One dimension of a graph input or output: a fixed size or a named free dimension ("batch", "tape_length")
/// that a session may pin with a free-dimension override.</summary>
public abstract record Dim
{
    public static implicit operator Dim(long size) => new FixedDim(size);
    public static implicit operator Dim(string name) => new NamedDim(name);
}

public sealed record FixedDim(long Size) : Dim
{
    public override string ToString() => Size.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

public sealed record NamedDim(string Name) : Dim
{
    public override string ToString() => Name;
}
