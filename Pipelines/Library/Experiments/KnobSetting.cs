using AdaTapeDml.Core.Contracts;

namespace AdaTapeDml.Pipelines.Experiments;

/// <summary>How a session is opened for one point of a compute-knob sweep: AdaTape's tape knob or the halting knob of UT
/// and A-ViT (each applies to its own kinds; a session takes both).</summary>
public sealed record KnobSetting(TapeOverride? Tape = null, HaltingOverride? Halting = null);
