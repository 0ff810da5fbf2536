using AdaTapeDml.Core.Specs;

namespace AdaTapeDml.Pipelines.Experiments;

/// <summary>AdaTape's halting threshold tau at inference (lower: shorter tapes, fewer FLOPs), with k held at its trained
/// value or moving with tau (<see cref="ComputeKnob"/>).</summary>
public sealed class TapeKnob(ComputeKnob knob, IReadOnlyList<double> values) : IComputeKnob
{
    public string Name => ComputeKnobs.NameOf(knob);

    public bool AppliesTo(RunSpec spec) => spec.Model is AdaTapeModelSpec;

    public IReadOnlyList<(double Value, KnobSetting Setting)> Settings(RunSpec spec) =>
        values.Select(v => (Value: v, Override: ComputeKnobs.Override(knob, v)))
            .Where(s => s.Override.ApplyTo(spec).IsOk)
            .Select(s => (s.Value, new KnobSetting(Tape: s.Override))).ToList();
}
