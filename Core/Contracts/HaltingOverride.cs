using System.Diagnostics.Contracts;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Core.Validation;

namespace AdaTapeDml.Core.Contracts;

/// <summary>The inference-time compute knob of the halting baselines: a trained Universal Transformer read with another
/// halting threshold (lower: halts sooner, fewer steps), or a trained A-ViT with another gate centre (lower: scores rise
/// sooner, tokens halt earlier). The AdaTape knob is <see cref="TapeOverride"/>.</summary>
/// <param name="Threshold">UT act.threshold at inference; null keeps the trained value.</param>
/// <param name="GateCenter">A-ViT halting.gateCenter at inference; null keeps the trained value.</param>
public sealed record HaltingOverride(double? Threshold = null, double? GateCenter = null)
{
    /// <summary>The run spec with the override applied, or every problem the changed spec has (validated like any spec).</summary>
    [Pure]
    public Result<RunSpec> ApplyTo(RunSpec spec)
    {
        var errors = new List<SpecError>();
        if (Threshold is not null && spec.Model is not UniversalTransformerModelSpec)
            errors.Add(new SpecError("model.kind", spec.Model.GetType().Name, "a Universal Transformer: only UT halting has a threshold to change"));
        if (GateCenter is not null && spec.Model is not AvitModelSpec)
            errors.Add(new SpecError("model.kind", spec.Model.GetType().Name, "an A-ViT model: only token halting has a gate centre to change"));
        if (errors.Count > 0) return Result<RunSpec>.Fail(errors);
        var changed = spec.Model switch
        {
            UniversalTransformerModelSpec ut => spec with { Model = ut with { Act = ut.Act with { Threshold = Threshold ?? ut.Act.Threshold } } },
            AvitModelSpec avit => spec with { Model = avit with { Halting = avit.Halting with { GateCenter = GateCenter ?? avit.Halting.GateCenter } } },
            _ => spec,
        };
        var problems = SpecValidator.Validate(changed);
        return problems.Count == 0 ? Result<RunSpec>.Ok(changed) : Result<RunSpec>.Fail(problems);
    }

    /// <summary>The run spec with the override applied, or a <see cref="UserError"/> naming the first problem.</summary>
    [Pure]
    public RunSpec ApplyOrThrow(RunSpec spec) => ApplyTo(spec).OrThrow("compute knob");
}
