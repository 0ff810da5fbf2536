using FsCheck;
using FsCheck.Fluent;

namespace AdaTapeDml.Properties.Generators;

/// <summary>Parity sequences over {-1, 0, +1} and batches of them with deliberate duplicate rows.</summary>
public static class ParityInputs
{
    public static Gen<sbyte[]> Sequence(int length) => Gen.ArrayOf(Gen.Elements<sbyte>(-1, 0, 1), length);

    /// <summary>Sequences of length 1..64, shrinking toward shorter sequences of zeros.</summary>
    public static Arbitrary<sbyte[]> Sequences() => Arb.From(
        from length in Gen.Choose(1, 64)
        from sequence in Sequence(length)
        select sequence,
        ShrinkSequence);

    public static IEnumerable<sbyte[]> ShrinkSequence(sbyte[] s)
    {
        if (s.Length > 1) yield return s[..(s.Length / 2)];
        if (s.Length > 1) yield return s[1..];
        for (var i = 0; i < s.Length; i++)
            if (s[i] != 0) { var zeroed = (sbyte[])s.Clone(); zeroed[i] = 0; yield return zeroed; }
    }

    /// <summary>A batch of <paramref name="count"/> sequences of one length in which about a third of the rows copy others.</summary>
    public static Gen<sbyte[][]> Batch(int length, int count) =>
        from rows in Gen.ArrayOf(Sequence(length), count)
        from copies in Gen.ArrayOf(Gen.Choose(0, count - 1).Two(), count / 3)
        select WithCopies(rows, copies);

    /// <summary>Row max(a, b) becomes a copy of row min(a, b): duplicate rows for batch properties.</summary>
    public static T[][] WithCopies<T>(T[][] rows, IEnumerable<(int, int)> copies)
    {
        var result = rows.Select(r => (T[])r.Clone()).ToArray();
        foreach (var (a, b) in copies) result[Math.Max(a, b)] = (T[])result[Math.Min(a, b)].Clone();
        return result;
    }
}
