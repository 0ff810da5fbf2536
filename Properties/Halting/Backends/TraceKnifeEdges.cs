using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Properties.Generators;

namespace AdaTapeDml.Properties.Halting.Backends;

/// <summary>Knife edges as the logit-level properties can see them: they go through <see cref="IInferenceSession"/> and
/// have no oracle, so they judge a sample from the READ traces of two runs of it (e.g. in its batch and alone). Two runs
/// may legitimately read a sample differently only where float rounding decides: two candidates whose scores agree within
/// <see cref="AtrInputs.NearTie"/> swap ranks (which tape token each feeds when m &gt; 1, or which is the k-th and which is
/// dropped), or the halting sum lands within rounding of tau. A near tie in scores is a near tie in weights (w_i / w_j =
/// exp((s_i - s_j) / sqrt(dk))), so the traces' weights show it. Every other difference is a real one: the property then
/// compares the sample and fails.</summary>
public static class TraceKnifeEdges
{
    /// <summary>Weights this close (relative) come from scores within about <see cref="AtrInputs.NearTie"/>.</summary>
    private const double NearTie = AtrInputs.NearTie;

    /// <summary>Halting sums are rebuilt here from float weights, so "near tau" is a little wider than the oracle's.</summary>
    private const double NearHalt = 1e-5;

    /// <summary>Whether runs <paramref name="a"/> and <paramref name="b"/> of one sample differ only at a knife edge.</summary>
    public static bool DifferAtKnifeEdge(TapeReadStep[] a, TapeReadStep[] b, TapeSpec tape)
    {
        if (a.Length != b.Length) return NearsTau(a, tape) || NearsTau(b, tape);
        for (var t = 0; t < a.Length; t++)
        {
            if (a[t].Indices.SequenceEqual(b[t].Indices)) continue;
            return SwapsNearTies(a[t], b[t]);                    // later steps follow from this one; the sample is left out
        }
        return false;
    }

    /// <summary>At the first step where the runs differ, every differing rank holds a candidate whose weight nearly ties a
    /// neighbouring rank's (a swap), or is the last rank with nearly the same weight in both runs (the k-th place went to
    /// the other of two near-tied entries).</summary>
    private static bool SwapsNearTies(TapeReadStep a, TapeReadStep b)
    {
        if (a.Indices.Length != b.Indices.Length) return false;
        var last = a.Indices.Length - 1;
        for (var i = 0; i <= last; i++)
        {
            if (a.Indices[i] == b.Indices[i]) continue;
            var swapped = (i > 0 && Near(a.Weights[i], a.Weights[i - 1])) || (i < last && Near(a.Weights[i], a.Weights[i + 1]));
            var boundary = i == last && Near(a.Weights[i], b.Weights[i]);
            if (!swapped && !boundary) return false;
        }
        return true;
    }

    /// <summary>Whether the halting sum, rebuilt from the trace as ATR builds it (d = 1 when at most m candidates merge,
    /// else the first m weights, at most 1), comes within <see cref="NearHalt"/> of tau at some step.</summary>
    private static bool NearsTau(TapeReadStep[] steps, TapeSpec tape)
    {
        var m = tape.TokensPerStep;
        var h = 0.0;
        foreach (var step in steps)
        {
            h += step.Weights.Length <= m ? 1.0 : Math.Min(1.0, step.Weights.Take(m).Sum(w => (double)w));
            if (Math.Abs(h - tape.ActEpsilon) <= NearHalt) return true;
        }
        return false;
    }

    private static bool Near(float x, float y) => Math.Abs(x - y) <= NearTie * Math.Max(Math.Abs(x), Math.Abs(y));
}
