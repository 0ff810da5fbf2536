using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Specs;

namespace AdaTapeDml.Server;

/// <summary>What the server needs to serve one model: its name, its spec (for metadata and input checks), the platform
/// it reports, and how to make sessions for a compute-knob value (null = as trained). The CLI builds it from a run folder
/// and a concrete backend; tests build it around decorated sessions.</summary>
/// <param name="Platform">The protocol's platform string, e.g. "adatapedml_torch".</param>
public sealed record ModelSource(string Name, RunSpec Spec, string Platform, Func<TapeOverride?, Func<IInferenceSession>> Sessions);
