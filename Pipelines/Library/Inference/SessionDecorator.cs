using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Specs;

namespace AdaTapeDml.Pipelines.Inference;

/// <summary>Forwards every call to an inner session; decorators override what they change.</summary>
public abstract class SessionDecorator(IInferenceSession inner) : IInferenceSession
{
    /// <summary>The decorated session.</summary>
    public IInferenceSession Inner => inner;
    public RunSpec Spec => inner.Spec;
    public string Backend => inner.Backend;
    public virtual bool IsElastic => inner.IsElastic;
    public virtual RunOutput Run(float[] inputs, int count) => inner.Run(inputs, count);
    public virtual TapeReadBatch Read(float[] inputs, int count) => inner.Read(inputs, count);
    public virtual float[] Encode(float[] hidden, float[] tape, int[] lengths, int tapeLength) => inner.Encode(hidden, tape, lengths, tapeLength);
    public virtual float[] EncodeBatch(TapeReadBatch read, EncodeMode mode) => inner.EncodeBatch(read, mode);
    public virtual T RunTogether<T>(Func<T> calls) => inner.RunTogether(calls);
    public virtual void Dispose() => inner.Dispose();
}

/// <summary>Lends a session to a pipeline without letting the pipeline dispose it.</summary>
public sealed class BorrowedSession(IInferenceSession inner) : SessionDecorator(inner)
{
    public override void Dispose() { }
}

/// <summary>A session seen as not elastic, so the pipeline runs it padded (<see cref="IInferenceSession.Run"/>): how a
/// benchmark measures padded execution on the pipeline's own session thread, as elastic execution runs.</summary>
public sealed class PaddedView(IInferenceSession inner) : SessionDecorator(inner)
{
    public override bool IsElastic => false;
    public override void Dispose() { }
}
