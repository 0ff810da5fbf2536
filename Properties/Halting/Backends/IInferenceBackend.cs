using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Specs;

namespace AdaTapeDml.Properties.Halting.Backends;

/// <summary>A backend's inference session for a freshly initialised model of a spec: the logit-level halting properties
/// (batch and padding independence, determinism) go through <see cref="IInferenceSession"/> only.</summary>
public interface IInferenceBackend
{
    string Name { get; }

    /// <summary>A session over a model of <paramref name="spec"/> with random weights drawn from <paramref name="seed"/>;
    /// no weight is left at zero (a zero head would make every logit 0 and every logit property vacuous). With
    /// <paramref name="traceReads"/> its READ reports what each ATR step read (<see cref="TapeReadBatch.Trace"/>).</summary>
    IInferenceSession Open(RunSpec spec, int seed, bool traceReads = false);
}
