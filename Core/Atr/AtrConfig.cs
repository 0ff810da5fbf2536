using System.Diagnostics.Contracts;
using AdaTapeDml.Core.Specs;

namespace AdaTapeDml.Core.Atr;

/// <summary>The knobs the ATR loop itself needs, derived from a <see cref="TapeSpec"/> and the model width.</summary>
/// <param name="NumTapeTokens">T, the maximum tape length.</param>
/// <param name="TokensPerStep">m, tape tokens emitted per step.</param>
/// <param name="ActEpsilon">tau, the halting threshold.</param>
/// <param name="LossType">Per-step ATR loss.</param>
/// <param name="ComplexQuery">q = (q + tape)/2 rather than q = tape.</param>
/// <param name="KeyWidth">dk = width / splitTt: the leading features used as query and keys.</param>
/// <param name="PinnedCandidates">k held at this value (the k-holding compute knob); null derives it from T and tau.</param>
public sealed record AtrConfig(int NumTapeTokens, int TokensPerStep, double ActEpsilon, ActLossType LossType, bool ComplexQuery, int KeyWidth,
    int? PinnedCandidates = null)
{
    /// <summary>S = T / m, the most steps a sample takes.</summary>
    public int MaxSteps => NumTapeTokens / TokensPerStep;

    /// <summary>k = floor(T / tau) unless pinned: candidates merged per step.</summary>
    public int Candidates => PinnedCandidates ?? TapeSpec.DerivedCandidates(NumTapeTokens, ActEpsilon);

    /// <summary>The halting threshold. The halting sum is kept in double so that a tau that is not a float value
    /// (e.g. 2.00000001) still needs ceil(tau) steps: float rounding would halt one step early.</summary>
    public double Threshold => ActEpsilon;

    /// <summary>This config halting at <paramref name="threshold"/> with k held at this config's: a training batch's
    /// draw from <see cref="TapeSpec.TrainActEpsilonMax"/>'s range.</summary>
    [Pure]
    public AtrConfig HaltingAt(double threshold) => this with { ActEpsilon = threshold, PinnedCandidates = Candidates };

    [Pure]
    public static AtrConfig From(TapeSpec tape, int width) =>
        new(tape.NumTapeTokens, tape.TokensPerStep, tape.ActEpsilon, tape.ActLossType, tape.ComplexQuery, width / tape.SplitTt, tape.PinnedCandidates);
}
