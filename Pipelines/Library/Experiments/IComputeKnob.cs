using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Specs;

namespace AdaTapeDml.Pipelines.Experiments;

/// <summary>An inference-time compute knob of adaptive models, swept to draw a model's accuracy/FLOPs curve. Each model
/// kind's knob is one implementation (AdaTape's actEpsilon here; a k-holding tape knob, UT's halting threshold or A-ViT's
/// gate are added beside it).</summary>
public interface IComputeKnob
{
    /// <summary>The knob's name in results.json (e.g. "actEpsilon").</summary>
    string Name { get; }

    /// <summary>Whether the knob exists for this model.</summary>
    bool AppliesTo(RunSpec spec);

    /// <summary>The values to try, each with the session override that sets it; values the model cannot take are left out.</summary>
    IReadOnlyList<(double Value, TapeOverride Override)> Settings(RunSpec spec);
}
