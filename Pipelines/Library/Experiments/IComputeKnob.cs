using AdaTapeDml.Core.Specs;

namespace AdaTapeDml.Pipelines.Experiments;

/// <summary>An inference-time compute knob of adaptive models, swept to draw a model's accuracy/FLOPs curve: AdaTape's
/// halting threshold (<see cref="TapeKnob"/>), UT's halting threshold and A-ViT's gate centre (<see cref="HaltingKnob"/>).</summary>
public interface IComputeKnob
{
    /// <summary>The knob's name in results.json (e.g. "act-epsilon-hold-k").</summary>
    string Name { get; }

    /// <summary>Whether the knob exists for this model.</summary>
    bool AppliesTo(RunSpec spec);

    /// <summary>The values to try, each with the session setting for it; values the model cannot take are left out.</summary>
    IReadOnlyList<(double Value, KnobSetting Setting)> Settings(RunSpec spec);
}
