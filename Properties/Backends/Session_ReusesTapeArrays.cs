using AdaTapeDml.Core.Numerics;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Properties.Halting;
using AdaTapeDml.Properties.Halting.Backends;
using AdaTapeDml.Properties.Pipelines;

namespace AdaTapeDml.Properties.Backends;

/// <summary>A session reuses a READ's tape array only after that batch is disposed: a batch still alive keeps its tape
/// while later READs run, and a reused array is wholly rewritten (nothing of the batch before is left
/// behind), on every backend.</summary>
public sealed class Session_ReusesTapeArrays
{
    private const int Samples = 24;

    [Theory, MemberData(nameof(InferenceBackends.Names), MemberType = typeof(InferenceBackends))]
    public void A_tape_array_is_reused_only_after_its_batch_is_disposed_and_is_wholly_rewritten(string backend)
    {
        var spec = SavedTinyModels.AdaTapeSpec;
        var seqLen = ((ParityTaskSpec)spec.Task).SeqLen;
        using var session = InferenceBackends.Named(backend).Open(spec, seed: 5);
        var (first, second) = (ReadTrace_EqualsOracle.ParityInputsOf(Samples, seqLen, seed: 1), ReadTrace_EqualsOracle.ParityInputsOf(Samples, seqLen, seed: 2));

        var a = session.Read(first, Samples);
        var bitsA = Bits(a.Tape);
        using (var b = session.Read(second, Samples))
        {
            Assert.NotSame(a.Tape, b.Tape);
            Assert.Equal(bitsA, Bits(a.Tape));                                                   // a is untouched by b's READ
            var bitsB = Bits(b.Tape);
            Array.Fill(a.Tape, float.NaN);                                                        // stale values everywhere
            a.Dispose();
            using var c = session.Read(second, Samples);
            Assert.Same(a.Tape, c.Tape);                                                          // a's array, reused
            Assert.Equal(bitsB, Bits(c.Tape));
        }
    }

    [Fact]
    public void Reused_arrays_have_exact_lengths_and_a_bounded_count()
    {
        var pool = new ReusedArrays<float>(capacity: 2);
        var (x, y, z) = (pool.Rent(10), pool.Rent(10), pool.Rent(7));
        Assert.Equal([10, 10, 7], new[] { x.Length, y.Length, z.Length });
        pool.Return(x);
        pool.Return(x);                                                                           // a second return keeps it once
        Assert.Same(x, pool.Rent(10));
        Assert.NotSame(x, pool.Rent(10));
        pool.Return(x);
        pool.Return(y);
        pool.Return(z);                                                                           // full: the oldest (x) makes room
        Assert.Same(z, pool.Rent(7));
        Assert.Same(y, pool.Rent(10));
        Assert.NotSame(x, pool.Rent(10));
        Assert.Equal(3, pool.Rent(3).Length);
    }

    private static int[] Bits(float[] xs) => [.. xs.Select(BitConverter.SingleToInt32Bits)];
}
