using AdaTapeDml.Backends.Onnx.Compiler;
using AdaTapeDml.Core.Atr;
using AdaTapeDml.Core.Checkpoints;
using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Layout;
using AdaTapeDml.Core.Numerics;
using AdaTapeDml.Core.Specs;
using Microsoft.ML.OnnxRuntime;

namespace AdaTapeDml.Backends.Onnx.Runtime;

/// <summary>Inference with ONNX Runtime on graphs compiled from the run's spec and weights: padded execution (full graph)
/// and AdaTape's READ / ENCODE split, with one ENCODE session per tape length (its tape_length dimension pinned, as
/// DirectML wants). Same validation and semantics as the TorchSharp session. Not thread-safe: one call at a time, which
/// is also DirectML's rule for Run.</summary>
public sealed class OnnxInferenceSession : IInferenceSession
{
    private readonly CompiledModel compiled;
    private readonly OnnxOptions options;
    private readonly ExecutionProviderKind provider;
    private readonly long[] inputShape;
    private readonly Dictionary<int, InferenceSession> encodeSessions = [];
    private readonly RunOptions runOptions = new();
    private readonly Lock gate = new();                                          // DirectML: never two Runs at once on a session
    private InferenceSession? full;
    private InferenceSession? read;
    private InferenceSession? packedEncode;
    private readonly Dictionary<(int Batch, int TapeRows), InferenceSession> pinnedPackedSessions = [];
    private readonly bool traceReads;
    private readonly ReusedArrays<float> tapeArrays = new(4);                    // a READ's tape, reused once its batch is disposed

    /// <param name="weightsPath">A weights or checkpoint file (with its run spec).</param>
    /// <param name="options">Execution provider and threads; null = CPU.</param>
    /// <param name="tape">The inference-time compute knob; null reads as trained.</param>
    /// <param name="halting">The compute knob of UT and A-ViT (threshold, gate centre); null runs as trained.</param>
    /// <param name="traceReads">READ also reports each step's bank indices and weights (<see cref="TapeReadBatch.Trace"/>).</param>
    public OnnxInferenceSession(string weightsPath, OnnxOptions? options = null, TapeOverride? tape = null, HaltingOverride? halting = null, bool traceReads = false)
        : this(Compile(weightsPath, tape, halting), options, traceReads)
    {
    }

    /// <summary>A session over already compiled graphs.</summary>
    /// <param name="traceReads">READ also reports each step's bank indices and weights.</param>
    public OnnxInferenceSession(CompiledModel compiled, OnnxOptions? options = null, bool traceReads = false)
    {
        this.compiled = compiled;
        this.traceReads = traceReads;
        this.options = options ?? new OnnxOptions();
        var warnings = new List<string>();
        provider = SessionOptionsFactory.Resolve(this.options, warnings);
        Warnings = warnings;
        inputShape = InputShapes.Of(compiled.Spec.Task);
    }

    /// <summary>The spec in effect (with the compute knob applied).</summary>
    public RunSpec Spec => compiled.Spec;
    public string Backend => $"onnx-{ExecutionProviderNames.Config(provider)}";
    public bool IsElastic => compiled.IsElastic;

    /// <summary>Warnings for the user, e.g. that the requested provider was missing and the CPU is used instead.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Compiles the weights file's spec (with the knobs <paramref name="tape"/> and <paramref name="halting"/>
    /// applied) and weights.</summary>
    public static CompiledModel Compile(string weightsPath, TapeOverride? tape = null, HaltingOverride? halting = null)
    {
        var file = CheckpointFile.Read(weightsPath);
        var spec = CheckpointFile.SpecOf(file, weightsPath);
        if (tape is not null) spec = tape.ApplyOrThrow(spec);
        if (halting is not null) spec = halting.ApplyOrThrow(spec);
        return OnnxCompiler.Compile(spec, new ModelWeights(file.Tensors, weightsPath));
    }

    public RunOutput Run(float[] inputs, int count)
    {
        lock (gate) return RunPadded(inputs, count);
    }

    public TapeReadBatch Read(float[] inputs, int count)
    {
        lock (gate) return ReadTapes(inputs, count);
    }

    public float[] Encode(float[] hidden, float[] tape, int[] lengths, int tapeLength)
    {
        lock (gate) return EncodeGroup(hidden, tape, lengths, tapeLength);
    }

    public float[] EncodeBatch(TapeReadBatch read, EncodeMode mode)
    {
        lock (gate) return EncodeRead(read, mode);
    }

    private RunOutput RunPadded(float[] inputs, int count)
    {
        if (IsElastic)
        {
            // Padded: every sample over all T slots, unread ones masked, from the same host ATR as READ.
            using var batch = ReadTapes(inputs, count);
            return new RunOutput(EncodeWith(((NativeHidden)batch.Native!).Hidden, batch.Tape, batch.Lengths, batch.MaxTape), new TapeCompute(batch.Lengths));
        }
        using var input = Input(inputs, count);
        full ??= Open(compiled.Full, null);
        // The full graph's second output is what each sample computed; its name says which statistic it is.
        (string Name, Func<int[], SampleCompute> Read)? statistic = Spec.Model switch
        {
            AdaTapeModelSpec => (StageNames.Lengths, values => new TapeCompute(values)),
            UniversalTransformerModelSpec => (StageNames.Steps, values => new HaltingStepsCompute(values)),
            AvitModelSpec => (StageNames.Depths, values => new TokenDepthCompute(compiled.Tokens, values)),
            _ => null,
        };
        if (statistic is not { } s)
        {
            using var logitsOnly = full.Run(runOptions, [StageNames.Input], [input], [StageNames.Logits]);
            return new RunOutput(logitsOnly[0].GetTensorDataAsSpan<float>().ToArray(), new FixedCompute(count));
        }
        using var outputs = full.Run(runOptions, [StageNames.Input], [input], [StageNames.Logits, s.Name]);
        return new RunOutput(outputs[0].GetTensorDataAsSpan<float>().ToArray(), s.Read(Ints(outputs[1])));
    }

    /// <summary>READ: the graph up to the query and bank, then the ATR on the host (<see cref="BatchAtr"/>, the Core
    /// oracle's arithmetic), which stops when the batch's last sample halts instead of running T unrolled steps. The
    /// graph's outputs stay alive as the batch's native values, so this session's ENCODE feeds them back without copies.</summary>
    private TapeReadBatch ReadTapes(float[] inputs, int count)
    {
        Elastic();
        using var input = Input(inputs, count);
        read ??= Open(compiled.Read!, null, shapesVaryPerCall: true);
        var layout = compiled.Layout;
        var perSample = layout.Bank == BankForm.PerSample;
        string[] names = perSample ? [StageNames.Hidden, StageNames.Query, StageNames.Bank] : [StageNames.Hidden, StageNames.Query];
        var outputs = read.Run(runOptions, [StageNames.Input], [input], names);
        try
        {
            using var queries = new RentedFloats(outputs[1].GetTensorDataAsSpan<float>());
            using var banks = perSample ? new RentedFloats(outputs[2].GetTensorDataAsSpan<float>()) : default;
            var config = AtrConfig.From(((AdaTapeModelSpec)Spec.Model).Tape, Spec.Model.Encoder.Width);
            var tapes = BatchAtr.Read(queries.Memory, count, AtrBank.Of(layout, compiled.HostBank, banks.Memory, inputs, count),
                compiled.BankNorm!, config, traceReads, tapeArrays.Rent(count * config.NumTapeTokens * Spec.Model.Encoder.Width));
            var hidden = outputs[0];
            return new TapeReadBatch(count, layout.Tokens, Spec.Model.Encoder.Width, tapes.MaxTape,
                () => hidden.GetTensorDataAsSpan<float>().ToArray(), new NativeHidden(this, outputs, tapes.Tape), tapes.Tape, tapes.Lengths, tapes.Trace);
        }
        catch
        {
            outputs.Dispose();
            throw;
        }
    }

    /// <summary>A READ's graph outputs, kept for the session that made them (hidden states are output 0); disposing it
    /// also gives the batch's tape array back to the session for a later READ.</summary>
    private sealed class NativeHidden(OnnxInferenceSession owner, IDisposableReadOnlyCollection<OrtValue> outputs, float[] tape) : IDisposable
    {
        private int disposed;
        public OnnxInferenceSession Owner => owner;
        public OrtValue Hidden => outputs[0];

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 1) return;
            outputs.Dispose();
            owner.tapeArrays.Return(tape);
        }
    }

    private float[] EncodeRead(TapeReadBatch batch, EncodeMode mode)
    {
        Elastic();
        using var created = batch.Native is NativeHidden own && own.Owner == this
            ? null
            : OrtValue.CreateTensorValueFromMemory(batch.Hidden, [batch.Count, compiled.Tokens, batch.Width]);
        var hidden = created ?? ((NativeHidden)batch.Native!).Hidden;
        if (mode == EncodeMode.Packed) return EncodePackedRead(batch, hidden);
        var slots = compiled.Layout.PacksExactly ? batch.Lengths.Max() : batch.MaxTape;          // the reference pooling averages every slot
        var tape = slots == batch.MaxTape ? batch.Tape : Slots(batch, slots);
        return EncodeWith(hidden, tape, batch.Lengths, slots);
    }

    /// <summary>The first <paramref name="slots"/> tape tokens of every sample, [B, slots, D].</summary>
    private static float[] Slots(TapeReadBatch batch, int slots)
    {
        var result = new float[batch.Count * slots * batch.Width];
        for (var b = 0; b < batch.Count; b++) batch.TapeOf(b, slots).CopyTo(result.AsSpan(b * slots * batch.Width));
        return result;
    }

    private float[] EncodePackedRead(TapeReadBatch batch, OrtValue hidden)
    {
        var layout = compiled.Layout;
        if (!layout.PacksExactly) throw new InvalidOperationException("the reference pooling averages masked slots too: packed ENCODE would change the result");
        var pin = options.PinsPackedShapes(provider);
        var packed = PackedLayout.From(batch.Lengths, layout.Tokens, batch.MaxTape, Spec.Model.Encoder.Classifier == Classifier.Token,
            pin ? OnnxOptions.PackedTapeRowBucket : 1, fullLength: pin);
        var session = pin ? PinnedPackedSession(packed) : packedEncode ??= Open(compiled.EncodePacked!, null, shapesVaryPerCall: true);
        var (b, lmax, width) = (packed.Count, packed.MaxLength, batch.Width);
        using var tape = OrtValue.CreateTensorValueFromMemory(packed.PackTape(batch.Tape, width), [packed.TapeRows, width]);
        using var pad = OrtValue.CreateTensorValueFromMemory(packed.PadIndex, [b, lmax]);
        using var unpad = OrtValue.CreateTensorValueFromMemory(packed.UnpadIndex, [packed.Rows]);
        using var bias = OrtValue.CreateTensorValueFromMemory(packed.Valid.Select(v => v ? 0f : -1e9f).ToArray(), [b, 1, 1, lmax]);
        using var pool = OrtValue.CreateTensorValueFromMemory(packed.PoolWeights, [b, lmax, 1]);
        List<string> names = [StageNames.Hidden, StageNames.Tape, StageNames.PadIndex, StageNames.UnpadIndex, StageNames.KeyBias, StageNames.PoolWeights];
        List<OrtValue> values = [hidden, tape, pad, unpad, bias, pool];
        if (session.InputMetadata.ContainsKey(StageNames.InputRowIndex))
        {
            names.AddRange([StageNames.InputRowIndex, StageNames.TapeRowIndex]);
            values.Add(OrtValue.CreateTensorValueFromMemory(Enumerable.Range(0, packed.InputRows).ToArray(), [packed.InputRows]));
            values.Add(OrtValue.CreateTensorValueFromMemory(Enumerable.Range(packed.InputRows, packed.TapeRows).ToArray(), [packed.TapeRows]));
        }
        try
        {
            using var outputs = session.Run(runOptions, names, values, [StageNames.Logits]);
            return outputs[0].GetTensorDataAsSpan<float>().ToArray();
        }
        finally
        {
            foreach (var extra in values.Skip(6)) extra.Dispose();
        }
    }

    /// <summary>The packed ENCODE session with every free dimension pinned to this layout's shape (one per batch size and
    /// tape-row bucket; the attention length is always n + T).</summary>
    private InferenceSession PinnedPackedSession(PackedLayout packed)
    {
        if (pinnedPackedSessions.TryGetValue((packed.Count, packed.TapeRows), out var session)) return session;
        var dimensions = new Dictionary<string, long>
        {
            [StageNames.BatchDim] = packed.Count,
            [StageNames.PackedLengthDim] = packed.MaxLength,
            [StageNames.RowsDim] = packed.Rows,
            [StageNames.InputRowsDim] = packed.InputRows,
            [StageNames.TapeRowsDim] = packed.TapeRows,
        };
        return pinnedPackedSessions[(packed.Count, packed.TapeRows)] = Open(compiled.EncodePacked!, dimensions);
    }

    private float[] EncodeGroup(float[] hidden, float[] tape, int[] lengths, int tapeLength)
    {
        Elastic();
        var (count, width) = (lengths.Length, Spec.Model.Encoder.Width);
        if (count < 1) throw new ArgumentException("ENCODE needs at least 1 sample", nameof(lengths));
        if (tapeLength < 0 || tapeLength > compiled.MaxTape)
            throw new ArgumentException($"tape length {tapeLength} must lie in 0..{compiled.MaxTape}", nameof(tapeLength));
        if (lengths.Any(l => l < 0 || l > tapeLength))
            throw new ArgumentException($"tape lengths must lie in 0..{tapeLength}", nameof(lengths));
        if (hidden.Length != count * compiled.Tokens * width)
            throw new ArgumentException($"hidden has {hidden.Length} values; {count} samples of [{compiled.Tokens}, {width}] need {count * compiled.Tokens * width}", nameof(hidden));
        if (tape.Length != count * tapeLength * width)
            throw new ArgumentException($"tape has {tape.Length} values; {count} samples of [{tapeLength}, {width}] need {count * tapeLength * width}", nameof(tape));
        using var h = OrtValue.CreateTensorValueFromMemory(hidden, [count, compiled.Tokens, width]);
        return EncodeWith(h, tape, lengths, tapeLength);
    }

    /// <summary>Padded ENCODE over <paramref name="tapeLength"/> slots: on a session pinned to that length where shapes are
    /// pinned (DirectML), else on one session for every length (one graph and one thread pool instead of up to T + 1,
    /// none of them made long after warm-up).</summary>
    private float[] EncodeWith(OrtValue hidden, float[] tape, int[] lengths, int tapeLength)
    {
        var pin = options.PinsPackedShapes(provider);
        var key = pin ? tapeLength : -1;
        if (!encodeSessions.TryGetValue(key, out var session))
            encodeSessions[key] = session = Open(compiled.Encode!,
                pin ? new Dictionary<string, long> { [StageNames.TapeLengthDim] = tapeLength } : null, shapesVaryPerCall: true);
        var count = lengths.Length;
        using var t = OrtValue.CreateTensorValueFromMemory(tape, [count, tapeLength, Spec.Model.Encoder.Width]);
        using var l = OrtValue.CreateTensorValueFromMemory(lengths.Select(x => (long)x).ToArray(), [count]);
        using var outputs = session.Run(runOptions, [StageNames.Hidden, StageNames.Tape, StageNames.Lengths], [hidden, t, l], [StageNames.Logits]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    private OrtValue Input(float[] inputs, int count)
    {
        var problem = InputShapes.Problem(Spec.Task, inputs, count);
        if (problem is not null) throw new ArgumentException(problem, nameof(inputs));
        return OrtValue.CreateTensorValueFromMemory(inputs, [count, .. inputShape]);
    }

    private InferenceSession Open(Proto.ModelProto model, IReadOnlyDictionary<string, long>? freeDimensions, bool shapesVaryPerCall = false)
    {
        using var sessionOptions = SessionOptionsFactory.Create(provider, options, freeDimensions, shapesVaryPerCall);
        return new InferenceSession(OnnxCompiler.Bytes(model), sessionOptions);
    }

    private void Elastic()
    {
        if (!IsElastic)
            throw new InvalidOperationException($"{Spec.Model.GetType().Name} has no tape: READ/ENCODE exist for AdaTape models only");
    }

    private static int[] Ints(OrtValue value)
    {
        var span = value.GetTensorDataAsSpan<long>();
        var result = new int[span.Length];
        for (var i = 0; i < span.Length; i++) result[i] = (int)span[i];
        return result;
    }

    public void Dispose()
    {
        lock (gate) DisposeSessions();
    }

    private void DisposeSessions()
    {
        if (options.ProfilePrefix is not null)
            foreach (var session in new[] { full, read, packedEncode }.Concat(encodeSessions.Values).Concat(pinnedPackedSessions.Values).OfType<InferenceSession>()) session.EndProfiling();
        full?.Dispose();
        read?.Dispose();
        packedEncode?.Dispose();
        foreach (var session in pinnedPackedSessions.Values) session.Dispose();
        foreach (var session in encodeSessions.Values) session.Dispose();
        runOptions.Dispose();
    }
}
