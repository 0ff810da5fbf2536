using FsCheck;
using FsCheck.Fluent;

namespace AdaTapeDml.Properties.Generators;

/// <summary>A generated value together with a random permutation of its rows.</summary>
public static class Permuted
{
    /// <summary>Shrinks the value with its own shrinker; the permutation of a shrunk value is the reversal, the simplest
    /// one that still moves every row.</summary>
    public static Arbitrary<(T Value, int[] Permutation)> Of<T>(Arbitrary<T> values, Func<T, int> rows) => Arb.From(
        from value in values.Generator
        from permutation in Gen.Shuffle(Enumerable.Range(0, rows(value)).ToArray())
        select (value, permutation),
        p => values.Shrinker(p.Item1).Select(v => (v, Enumerable.Range(0, rows(v)).Reverse().ToArray())));
}
