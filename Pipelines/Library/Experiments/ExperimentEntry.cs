using AdaTapeDml.Core.Specs;

namespace AdaTapeDml.Pipelines.Experiments;

/// <summary>One model of an experiment: the name it is reported under (per paper, e.g. "vit") and the spec it trains.
/// Its kind (the model-kind word of <see cref="ModelKinds"/>, e.g. "transformer") comes from the spec.</summary>
public sealed record ExperimentEntry(string Name, RunSpec Spec)
{
    public string Kind => ModelKinds.NameOf(Spec.Model);
}
