using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AdaTapeDml.Core.Numerics;

/// <summary><see cref="LayerNormParams.Apply"/> split into its two halves, row statistics and the per-feature map, writing
/// into caller buffers: batched code normalises without allocating, and only the features it needs (keys first, values
/// of the rows it reads later). The arithmetic is Apply's, operation for operation, so results are bit-identical.
/// Vector code keeps that arithmetic lane by lane: a lane is one row (statistics, a running sum in feature order) or one
/// feature (the map), and each lane does the scalar operations in the scalar order, as separate multiplies and adds (the
/// JIT does not fuse a vector multiply and add into a fused multiply-add, which would round once instead of twice).</summary>
internal static class LayerNormRows
{
    /// <summary>Mean and 1 / sqrt(biased variance + eps) of <paramref name="x"/>, accumulated in double in feature order:
    /// the statistics of <see cref="LayerNormParams.Apply"/> itself, so the oracle and the batched code share them.</summary>
    public static (double Mean, double Inverse) Statistics(ReadOnlySpan<float> x)
    {
        double mean = 0;
        foreach (var v in x) mean += v;
        mean /= x.Length;
        double variance = 0;
        foreach (var v in x) variance += (v - mean) * (v - mean);
        variance /= x.Length;
        return (mean, 1.0 / Math.Sqrt(variance + LayerNormParams.Epsilon));
    }

    /// <summary>Rows per feature in <see cref="Statistics(ReadOnlySpan{float}, int, int, double[], int, double[], double[])"/>'s
    /// transposed rows: <paramref name="rows"/> rounded up to whole float vectors (two double vectors).</summary>
    public static int Stride(int rows) => (rows + Vector<float>.Count - 1) / Vector<float>.Count * Vector<float>.Count;

    /// <summary><see cref="Statistics(ReadOnlySpan{float})"/> of <paramref name="count"/> rows [count, width] at once: the rows
    /// are widened to double and transposed into <paramref name="columns"/> (feature j of row i at j * stride + i, kept for
    /// the caller), then a vector lane per row sums its row in feature order, exactly the scalar sums. Lanes beyond
    /// <paramref name="count"/> (up to <paramref name="stride"/>, a multiple of <see cref="Stride"/>'s rounding) compute
    /// whatever their columns hold and mean nothing.</summary>
    public static void Statistics(ReadOnlySpan<float> rows, int count, int width, double[] columns, int stride, double[] means, double[] inverses)
    {
        if (count > stride || stride % Vector<float>.Count != 0 || columns.Length < width * stride || means.Length < stride || inverses.Length < stride
            || rows.Length < count * width)
            throw new ArgumentException("Buffers too small for the rows.");
        ref var column = ref MemoryMarshal.GetArrayDataReference(columns);
        for (var i = 0; i < count; i++)
        {
            var row = rows.Slice(i * width, width);
            for (var j = 0; j < row.Length; j++) Unsafe.Add(ref column, j * stride + i) = row[j];
        }
        var lanes = Vector<double>.Count;
        var length = new Vector<double>((double)width);
        var epsilon = new Vector<double>(LayerNormParams.Epsilon);
        for (var g = 0; g < stride; g += 2 * lanes)
        {
            ref var first = ref Unsafe.Add(ref column, g);
            var (mean0, mean1) = (Vector<double>.Zero, Vector<double>.Zero);
            for (var j = 0; j < width; j++)
            {
                ref var x = ref Unsafe.Add(ref first, j * stride);
                mean0 += Vector.LoadUnsafe(ref x);
                mean1 += Vector.LoadUnsafe(ref x, (nuint)lanes);
            }
            mean0 /= length;
            mean1 /= length;
            var (variance0, variance1) = (Vector<double>.Zero, Vector<double>.Zero);
            for (var j = 0; j < width; j++)
            {
                ref var x = ref Unsafe.Add(ref first, j * stride);
                var d0 = Vector.LoadUnsafe(ref x) - mean0;
                var d1 = Vector.LoadUnsafe(ref x, (nuint)lanes) - mean1;
                variance0 += d0 * d0;
                variance1 += d1 * d1;
            }
            variance0 /= length;
            variance1 /= length;
            mean0.CopyTo(means, g);
            mean1.CopyTo(means, g + lanes);
            (Vector<double>.One / Vector.SquareRoot(variance0 + epsilon)).CopyTo(inverses, g);
            (Vector<double>.One / Vector.SquareRoot(variance1 + epsilon)).CopyTo(inverses, g + lanes);
        }
    }

    /// <summary>The first <c>y.Length</c> normalised features of <paramref name="x"/>, given its statistics; a vector lane per feature.</summary>
    public static void Map(ReadOnlySpan<float> x, double mean, double inverse, float[] gamma, float[] beta, Span<float> y)
    {
        if (x.Length < y.Length || gamma.Length < y.Length || beta.Length < y.Length) throw new ArgumentException("Too few features for the output.");
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var (m, inv) = (new Vector<double>(mean), new Vector<double>(inverse));
            for (; i <= y.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                Vector.Widen(new Vector<float>(x[i..]), out var x0, out var x1);
                Vector.Widen(new Vector<float>(gamma, i), out var g0, out var g1);
                Vector.Widen(new Vector<float>(beta, i), out var b0, out var b1);
                Vector.Narrow((x0 - m) * inv * g0 + b0, (x1 - m) * inv * g1 + b1).CopyTo(y[i..]);
            }
        }
        for (; i < y.Length; i++) y[i] = (float)((x[i] - mean) * inverse * gamma[i] + beta[i]);
    }
}
