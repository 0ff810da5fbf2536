using AdaTapeDml.Core.Contracts;

namespace AdaTapeDml.Pipelines.Experiments;

/// <summary>Which inference-time knob an AdaTape compute sweep turns. Both move tau (actEpsilon); they differ in k, the
/// candidates a step merges.</summary>
public enum ComputeKnob
{
    /// <summary>tau moves, k held at its trained value: tau then only decides when a sample halts, so lower tau reads a
    /// prefix of the same steps (the tape can only get shorter). The default of <c>adatape knob</c> (see README).</summary>
    ActEpsilonHoldK,

    /// <summary>tau moves and k = floor(T / tau) moves with it, as a retrained reference model would set it: every step
    /// merges a different number of entries than the model was trained with.</summary>
    ActEpsilon,
}

public static class ComputeKnobs
{
    /// <summary>The names <c>--knob</c> accepts, first the default.</summary>
    public static readonly IReadOnlyList<(string Name, ComputeKnob Knob)> Names =
        [("act-epsilon-hold-k", ComputeKnob.ActEpsilonHoldK), ("act-epsilon", ComputeKnob.ActEpsilon)];

    public static string NameOf(ComputeKnob knob) => Names.Single(n => n.Knob == knob).Name;

    /// <summary>The tape override that sets the knob to <paramref name="value"/>.</summary>
    public static TapeOverride Override(ComputeKnob knob, double value) =>
        new(ActEpsilon: value, HoldCandidates: knob == ComputeKnob.ActEpsilonHoldK);
}
