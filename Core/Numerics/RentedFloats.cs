using System.Buffers;

namespace AdaTapeDml.Core.Numerics;

/// <summary>A copy of some floats in an array rented from the shared pool, returned on dispose: the READ stage copies its
/// query and bank out of backend memory on every micro-batch, and a fresh array each time costs more than the copy (the
/// runtime zeroes and faults in new large arrays; measured on the parity model: 5 ms against 15 ms per 4096 samples).</summary>
public readonly struct RentedFloats : IDisposable
{
    private readonly float[] array;

    public RentedFloats(ReadOnlySpan<float> values)
    {
        array = ArrayPool<float>.Shared.Rent(values.Length);
        values.CopyTo(array);
        Length = values.Length;
    }

    public int Length { get; }

    /// <summary>The copied values (valid until disposed).</summary>
    public ReadOnlyMemory<float> Memory => array.AsMemory(0, Length);

    public void Dispose()
    {
        if (array is not null) ArrayPool<float>.Shared.Return(array);                         // default: nothing rented
    }
}
