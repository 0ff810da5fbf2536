using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Pipelines.Inference;

namespace AdaTapeDml.Properties.Server;

/// <summary>A session whose every micro-batch waits for a gate the test opens: requests stay admitted and unanswered for
/// exactly as long as the test wants, with no timing involved. Reports each micro-batch that reaches the gate and each disposal.</summary>
public sealed class GatedSession(IInferenceSession inner, ManualResetEventSlim gate, Action? onDispose = null, Action? onWait = null) : SessionDecorator(inner)
{
    public override RunOutput Run(float[] inputs, int count) => Pass(() => base.Run(inputs, count));
    public override TapeReadBatch Read(float[] inputs, int count) => Pass(() => base.Read(inputs, count));

    /// <summary>In place: the gate must hold this session's worker, never the thread every TorchSharp session shares.</summary>
    public override T RunTogether<T>(Func<T> calls) => calls();

    public override void Dispose()
    {
        onDispose?.Invoke();
        base.Dispose();
    }

    private T Pass<T>(Func<T> work)
    {
        onWait?.Invoke();
        // The timeout only turns a test that forgot to open the gate into a failure instead of a hang.
        if (!gate.Wait(TimeSpan.FromMinutes(2))) throw new TimeoutException("the test never opened the gate");
        return work();
    }
}
