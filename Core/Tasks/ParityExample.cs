namespace AdaTapeDml.Core.Tasks;

/// <summary>One parity sequence over {+1, 0, -1} and its label (count of +1, mod 2).</summary>
public sealed record ParityExample(sbyte[] Sequence)
{
    public int Label => Parity.LabelOf(Sequence);
}
