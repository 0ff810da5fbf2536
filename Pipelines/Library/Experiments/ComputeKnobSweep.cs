using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Cost;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Core.Validation;

namespace AdaTapeDml.Pipelines.Experiments;

/// <summary>One setting of a compute knob, measured on a held-out set.</summary>
/// <param name="Knob">The knob's value (tau).</param>
/// <param name="Flops">Mean forward FLOPs per sample (cost model at each sample's own tape length).</param>
/// <param name="Accuracy">Held-out accuracy.</param>
/// <param name="MeanTape">Mean tape tokens read.</param>
/// <param name="Candidates">k, the candidates each step merged at this setting.</param>
public sealed record KnobPoint(double Knob, double Flops, double Accuracy, double MeanTape, int Candidates);

/// <summary>Sweeps an inference-time compute knob of a trained AdaTape model: for each value, a session with the knob set,
/// the held-out set through it, and (FLOPs, accuracy, tape) measured. Backend-neutral: the caller opens sessions.</summary>
public static class ComputeKnobSweep
{
    /// <summary>tau from 0.5 to 4 in steps of 0.5: the trained 2.0 in the middle, halving and doubling the compute.</summary>
    public static IReadOnlyList<double> DefaultValues { get; } = Enumerable.Range(1, 8).Select(i => i * 0.5).ToArray();

    /// <summary>The points of the sweep, one per valid value, as they are measured.</summary>
    /// <param name="trained">The trained run spec (its k is the one a k-holding knob keeps).</param>
    /// <param name="open">Opens a session of the trained weights with a tape override.</param>
    /// <param name="skipInvalid">Skip values the model cannot take (e.g. k = floor(T / tau) &lt; 1) instead of failing.</param>
    public static IEnumerable<KnobPoint> Run(RunSpec trained, IDataSource data, Func<TapeOverride, IInferenceSession> open,
        ComputeKnob knob, IEnumerable<double> values, bool skipInvalid)
    {
        foreach (var value in values)
        {
            var tape = ComputeKnobs.Override(knob, value);
            var changed = tape.ApplyTo(trained);
            if (!changed.IsOk)
            {
                if (skipInvalid) continue;
                throw new UserError($"{ComputeKnobs.NameOf(knob)} {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}: {changed.Errors[0]}");
            }
            using var session = open(tape);
            yield return Measure(session, data, value);
        }
    }

    /// <summary>Accuracy, mean tape and mean forward FLOPs of <paramref name="session"/> over the held-out set.</summary>
    public static KnobPoint Measure(IInferenceSession session, IDataSource data, double knob)
    {
        var (accuracy, adaptive, flops) = ModelMeasurement.Evaluate(session, data);
        var k = session.Spec.Model is AdaTapeModelSpec a ? a.Tape.CandidatesPerStep : 0;
        return new KnobPoint(knob, flops.Mean, accuracy, adaptive?.Mean ?? 0, k);
    }
}
