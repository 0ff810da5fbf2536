using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Pipelines.Inference;

namespace AdaTapeDml.Server;

/// <summary>A session decorator that reports each micro-batch's size and each ENCODE call to <see cref="ServerMetrics"/>:
/// the pipeline's batching is seen where it happens, without the pipeline knowing about metrics.</summary>
public sealed class MeteredSession(IInferenceSession inner, ServerMetrics metrics, string model) : SessionDecorator(inner)
{
    public override RunOutput Run(float[] inputs, int count)
    {
        metrics.MicroBatch(model, count);
        return base.Run(inputs, count);
    }

    public override TapeReadBatch Read(float[] inputs, int count)
    {
        metrics.MicroBatch(model, count);
        return base.Read(inputs, count);
    }

    public override float[] Encode(float[] hidden, float[] tape, int[] lengths, int tapeLength)
    {
        metrics.Encoded(model);
        return base.Encode(hidden, tape, lengths, tapeLength);
    }

    public override float[] EncodeBatch(TapeReadBatch read, EncodeMode mode)
    {
        metrics.Encoded(model);
        return base.EncodeBatch(read, mode);
    }
}
