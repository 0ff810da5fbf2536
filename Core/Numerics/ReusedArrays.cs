namespace AdaTapeDml.Core.Numerics;

/// <summary>A few arrays of exact lengths kept for reuse, for buffers a session fills on every micro-batch and hands out
/// until the batch is disposed. A batch's padded tape ([B, T, D], 1.3 MB at parity batch 256) is a large-object
/// allocation; a fresh one per batch roughly doubled the host ATR's time at batch 64 (page faults and gen-2 collections).
/// Exact lengths, unlike <see cref="System.Buffers.ArrayPool{T}"/>, because consumers take an array as a tensor of its
/// whole length. Thread-safe; an array never returned is simply collected.</summary>
public sealed class ReusedArrays<T>(int capacity)
{
    private readonly Lock gate = new();
    private readonly List<T[]> kept = [];

    /// <summary>An array of exactly <paramref name="length"/> elements with undefined contents: a kept one, else a new one.</summary>
    public T[] Rent(int length)
    {
        lock (gate)
        {
            var i = kept.FindIndex(a => a.Length == length);
            if (i >= 0)
            {
                var array = kept[i];
                kept.RemoveAt(i);
                return array;
            }
        }
        return GC.AllocateUninitializedArray<T>(length);
    }

    /// <summary>Keeps <paramref name="array"/> for a later <see cref="Rent"/>; the oldest kept one makes room when full.
    /// The caller must not touch it afterwards.</summary>
    public void Return(T[] array)
    {
        lock (gate)
        {
            if (capacity < 1 || kept.Contains(array)) return;
            if (kept.Count == capacity) kept.RemoveAt(0);
            kept.Add(array);
        }
    }
}
