using AdaTapeDml.Core.Validation;

namespace AdaTapeDml.Core.Checkpoints;

/// <summary>A checkpoint or weight file that cannot be used: missing, truncated, foreign, or not matching the spec.
/// The message is one line that names the file and what is wrong.</summary>
public sealed class CheckpointException(string message) : UserError(message);
