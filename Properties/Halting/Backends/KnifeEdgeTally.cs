namespace AdaTapeDml.Properties.Halting.Backends;

/// <summary>The accounting every check that leaves out knife-edge samples (<see cref="AtrInputs.IsKnifeEdge"/>) shares:
/// it counts the samples it compares and those it leaves out, prints both, and fails when more than
/// <see cref="MaxLeftOutShare"/> of the generated samples were left out, so a generator or a tolerance change cannot
/// quietly turn a comparison into one of nothing. What is left out is tested on every backend by hand-built inputs
/// (Halting_ExactTies, Halting_NarrowWidths, Halting_NonFloatThresholds, Halting_BankRunsOut).</summary>
public sealed class KnifeEdgeTally
{
    /// <summary>The most a check may leave out, as a share of the samples it generated.</summary>
    public const double MaxLeftOutShare = 0.10;

    public int Compared { get; private set; }

    public int LeftOut { get; private set; }

    /// <summary>Counts one sample; true when it is to be compared (it is not a knife edge).</summary>
    public bool Compares(bool knifeEdge)
    {
        if (knifeEdge) LeftOut++;
        else Compared++;
        return !knifeEdge;
    }

    /// <summary>Prints the counts and fails when nothing was generated or more than the bound was left out.</summary>
    public void Check(ITestOutputHelper output, string what)
    {
        var total = Compared + LeftOut;
        output.WriteLine($"{what}: {Compared} compared, {LeftOut} knife edges left out of {total} ({Share(LeftOut, total):P1}; bound {MaxLeftOutShare:P0})");
        Assert.True(total > 0, $"{what}: no samples were generated");
        Assert.True(LeftOut <= MaxLeftOutShare * total,
            $"{what}: {LeftOut} of {total} samples left out as knife edges, more than {MaxLeftOutShare:P0}: the check compares too little");
    }

    private static double Share(int part, int total) => total == 0 ? 0 : (double)part / total;
}
