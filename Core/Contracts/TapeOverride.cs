using System.Diagnostics.Contracts;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Core.Validation;

namespace AdaTapeDml.Core.Contracts;

/// <summary>The inference-time compute knob: a trained AdaTape model read with another halting threshold (and/or maximum
/// tape length). A lower actEpsilon halts earlier: shorter tapes, fewer FLOPs.</summary>
/// <param name="ActEpsilon">tau at inference; null keeps the trained value.</param>
/// <param name="NumTapeTokens">T at inference; null keeps the trained value.</param>
/// <param name="HoldCandidates">Pin k, the candidates merged per step, at the trained spec's value, so that tau moves only
/// the halting point. Without it k = floor(T / tau) moves with tau, and every step merges a different number of entries
/// than in training.</param>
public sealed record TapeOverride(double? ActEpsilon = null, int? NumTapeTokens = null, bool HoldCandidates = false)
{
    /// <summary>The run spec with the override applied, or every problem the changed spec has (validated like any spec).</summary>
    [Pure]
    public Result<RunSpec> ApplyTo(RunSpec spec)
    {
        if (spec.Model is not AdaTapeModelSpec adaTape)
            return Result<RunSpec>.Fail(new SpecError("model.kind", spec.Model.GetType().Name, "an AdaTape model: only a tape has an actEpsilon to change"));
        var tape = adaTape.Tape with
        {
            ActEpsilon = ActEpsilon ?? adaTape.Tape.ActEpsilon,
            NumTapeTokens = NumTapeTokens ?? adaTape.Tape.NumTapeTokens,
            PinnedCandidates = HoldCandidates ? adaTape.Tape.CandidatesPerStep : adaTape.Tape.PinnedCandidates,
            TrainActEpsilonMax = null,                  // how training drew thresholds does not bound the one read at inference
        };
        var changed = spec with { Model = adaTape with { Tape = tape } };
        var errors = SpecValidator.Validate(changed);
        return errors.Count == 0 ? Result<RunSpec>.Ok(changed) : Result<RunSpec>.Fail(errors);
    }

    /// <summary>The run spec with the override applied, or a <see cref="UserError"/> naming the first problem.</summary>
    [Pure]
    public RunSpec ApplyOrThrow(RunSpec spec)
    {
        var changed = ApplyTo(spec);
        return changed.IsOk ? changed.Value! : throw new UserError($"compute knob: {changed.Errors[0]}");
    }
}
