using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Specs;

namespace AdaTapeDml.Pipelines.Experiments;

/// <summary>The compute knob of the halting baselines at inference: UT's halting threshold, A-ViT's gate centre.</summary>
public sealed class HaltingKnob : IComputeKnob
{
    private readonly Func<RunSpec, IEnumerable<double>> values;
    private readonly Func<double, HaltingOverride> set;
    private readonly Func<RunSpec, bool> applies;

    private HaltingKnob(string name, Func<RunSpec, bool> applies, Func<RunSpec, IEnumerable<double>> values, Func<double, HaltingOverride> set) =>
        (Name, this.applies, this.values, this.set) = (name, applies, values, set);

    public string Name { get; }

    /// <summary>UT's threshold on the cumulative halting probability (lower: halts sooner).</summary>
    public static HaltingKnob UtThreshold(IReadOnlyList<double> thresholds) =>
        new("ut-threshold", s => s.Model is UniversalTransformerModelSpec, _ => thresholds, v => new HaltingOverride(Threshold: v));

    /// <summary>A-ViT's gate centre at the trained value plus each offset (lower: tokens halt earlier).</summary>
    public static HaltingKnob GateCenter(IReadOnlyList<double> offsets) =>
        new("gate-center", s => s.Model is AvitModelSpec, s => offsets.Select(o => ((AvitModelSpec)s.Model).Halting.GateCenter + o),
            v => new HaltingOverride(GateCenter: v));

    public bool AppliesTo(RunSpec spec) => applies(spec);

    public IReadOnlyList<(double Value, KnobSetting Setting)> Settings(RunSpec spec) =>
        values(spec).Select(v => (Value: v, Override: set(v)))
            .Where(s => s.Override.ApplyTo(spec).IsOk)
            .Select(s => (s.Value, new KnobSetting(Halting: s.Override))).ToList();
}
