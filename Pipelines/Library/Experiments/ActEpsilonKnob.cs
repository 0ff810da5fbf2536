using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Specs;

namespace AdaTapeDml.Pipelines.Experiments;

/// <summary>AdaTape's halting threshold tau at inference: a lower tau halts earlier (shorter tapes, fewer FLOPs).
/// Note that tau also moves k = floor(T / tau), the candidates merged per step.</summary>
/// <param name="Values">Thresholds to try. Default 0.5 to 4 in steps of 0.5.</param>
public sealed class ActEpsilonKnob(IReadOnlyList<double>? Values = null) : IComputeKnob
{
    private readonly IReadOnlyList<double> values = Values ?? Enumerable.Range(1, 8).Select(i => i * 0.5).ToArray();

    public string Name => "actEpsilon";

    public bool AppliesTo(RunSpec spec) => spec.Model is AdaTapeModelSpec;

    public IReadOnlyList<(double Value, TapeOverride Override)> Settings(RunSpec spec) =>
        values.Select(v => (Value: v, Override: new TapeOverride(ActEpsilon: v))).Where(s => s.Override.ApplyTo(spec).IsOk).ToList();
}
