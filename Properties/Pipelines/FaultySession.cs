using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Pipelines.Inference;

namespace AdaTapeDml.Properties.Pipelines;

/// <summary>A backend call a fault can be injected into.</summary>
public enum Stage { Read, Encode, Run }

/// <summary>What a <see cref="FaultySession"/> does to one call.</summary>
public enum Fault
{
    None,
    /// <summary>The call throws.</summary>
    Throw,
    /// <summary>The call returns, with the first sample's logits NaN (ENCODE and Run only).</summary>
    NaNLogits,
    /// <summary>The call blocks until the session's gate opens, then runs normally.</summary>
    Hang,
    /// <summary>The session is disposed under the call (as by a lost device); this and every later call throw
    /// <see cref="ObjectDisposedException"/>.</summary>
    DisposeUnderneath,
}

/// <summary>Injects the faults a plan chooses per call into a session, and counts what the pipeline does with it: how often
/// it disposes the session and how often the inner (native) session is really released, which must be exactly once.</summary>
public sealed class FaultySession(IInferenceSession inner, Func<Stage, Fault> plan, ManualResetEventSlim? gate = null) : SessionDecorator(inner)
{
    private int released;

    /// <summary>Calls of Dispose (by the pipeline or by a fault).</summary>
    public int DisposeCalls;

    /// <summary>Times the inner session was disposed: 1 when native memory was released, never more.</summary>
    public int Released => Volatile.Read(ref released);

    /// <summary>Set when a <see cref="Fault.Hang"/> starts waiting for the gate.</summary>
    public ManualResetEventSlim Hanging { get; } = new();

    /// <summary>Set when the inner session is released.</summary>
    public ManualResetEventSlim ReleasedSignal { get; } = new();

    /// <summary>When set, Dispose waits for it before releasing (a release that takes a while).</summary>
    public ManualResetEventSlim? DisposeGate { get; init; }

    /// <summary>Set when Dispose is first called.</summary>
    public ManualResetEventSlim DisposeEntered { get; } = new();

    /// <summary>When set, every Dispose call throws this, after releasing the inner session once (a backend whose cleanup fails).</summary>
    public Exception? DisposeFailure { get; init; }

    /// <summary>In place: a hang must hold this session's worker, never the thread every TorchSharp session shares.</summary>
    public override T RunTogether<T>(Func<T> calls) => calls();

    public override TapeReadBatch Read(float[] inputs, int count)
    {
        Inject(Stage.Read);
        return base.Read(inputs, count);
    }

    public override float[] Encode(float[] hidden, float[] tape, int[] lengths, int tapeLength) =>
        Poisoned(Inject(Stage.Encode), base.Encode(hidden, tape, lengths, tapeLength));

    public override float[] EncodeBatch(TapeReadBatch read, EncodeMode mode) => Poisoned(Inject(Stage.Encode), base.EncodeBatch(read, mode));

    public override RunOutput Run(float[] inputs, int count)
    {
        var fault = Inject(Stage.Run);
        var run = base.Run(inputs, count);
        return run with { Logits = Poisoned(fault, run.Logits) };
    }

    private Fault Inject(Stage stage)
    {
        ObjectDisposedException.ThrowIf(Released > 0, this);
        var fault = plan(stage);
        switch (fault)
        {
            case Fault.Throw:
                throw new InvalidOperationException($"injected fault in {stage}");
            case Fault.Hang:
                Hanging.Set();
                (gate ?? throw new InvalidOperationException("a Hang fault needs a gate")).Wait();
                break;
            case Fault.DisposeUnderneath:
                try { Dispose(); }
                catch (Exception) when (DisposeFailure is not null) { /* the cleanup failure is for the pipeline to meet */ }
                ObjectDisposedException.ThrowIf(true, this);
                break;
        }
        return fault;
    }

    private static float[] Poisoned(Fault fault, float[] logits)
    {
        if (fault == Fault.NaNLogits) logits[0] = float.NaN;
        return logits;
    }

    public override void Dispose()
    {
        Interlocked.Increment(ref DisposeCalls);
        DisposeEntered.Set();
        DisposeGate?.Wait();
        if (Interlocked.Exchange(ref released, 1) == 0)                // idempotent, as native sessions are
        {
            base.Dispose();
            ReleasedSignal.Set();
        }
        if (DisposeFailure is not null) throw DisposeFailure;
    }
}
