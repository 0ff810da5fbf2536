using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Pipelines.Inference;

namespace AdaTapeDml.Server;

/// <summary>One served model: the elastic pipeline at the trained compute knob, made at start-up (the model is ready when
/// it exists), and a bounded set of pipelines for other knob values made on first use.</summary>
public sealed class ServedModel : IDisposable
{
    private readonly AdaTapeInference trained;
    private readonly KnobPipelines knobs;

    public ServedModel(ModelSource source, ServerOptions options, ServerMetrics metrics)
    {
        Source = source;
        Func<IInferenceSession> Sessions(TapeOverride? knob)
        {
            var create = source.Sessions(knob);
            return () => new MeteredSession(create(), metrics, source.Name);
        }
        trained = AdaTapeInference.Create(Sessions(null), options.PipelineOptions);
        knobs = new KnobPipelines(knob => AdaTapeInference.Create(Sessions(knob), options.PipelineOptions), options.KnobPipelines);
    }

    public ModelSource Source { get; }
    public string Name => Source.Name;
    public RunSpec Spec => Source.Spec;

    /// <summary>The pipeline for <paramref name="knob"/> held for one request, or null when every knob pipeline is busy.
    /// A knob equal to the trained values uses the trained pipeline.</summary>
    public KnobPipelines.Lease? Acquire(TapeOverride? knob) => AsTrained(knob) is { } other
        ? knobs.Acquire(other)
        : new KnobPipelines.Lease(null, trained, new TapeOverride());

    /// <summary>The knob with values equal to the trained ones dropped; null when nothing is left to change.</summary>
    private TapeOverride? AsTrained(TapeOverride? knob)
    {
        if (knob is null || Spec.Model is not AdaTapeModelSpec { Tape: var tape }) return knob;
        var changed = new TapeOverride(knob.ActEpsilon == tape.ActEpsilon ? null : knob.ActEpsilon,
            knob.NumTapeTokens == tape.NumTapeTokens ? null : knob.NumTapeTokens);
        return changed is { ActEpsilon: null, NumTapeTokens: null } ? null : changed;
    }

    public void Dispose()
    {
        knobs.Dispose();
        trained.Dispose();
    }
}
