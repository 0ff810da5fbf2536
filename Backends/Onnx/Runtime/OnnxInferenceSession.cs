using AdaTapeDml.Backends.Onnx.Compiler;
using AdaTapeDml.Core.Checkpoints;
using AdaTapeDml.Core.Contracts;
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

    /// <param name="weightsPath">A weights or checkpoint file (with its run spec).</param>
    /// <param name="options">Execution provider and threads; null = CPU.</param>
    /// <param name="tape">The inference-time compute knob; null reads as trained.</param>
    /// <param name="halting">The compute knob of UT and A-ViT (threshold, gate centre); null runs as trained.</param>
    /// <param name="traceReads">READ also reports each step's bank indices and weights (<see cref="TapeReadBatch.Trace"/>);
    /// without it the READ graph carries none of the trace outputs.</param>
    public OnnxInferenceSession(string weightsPath, OnnxOptions? options = null, TapeOverride? tape = null, HaltingOverride? halting = null, bool traceReads = false)
        : this(Compile(weightsPath, tape, halting, traceReads), options)
    {
    }

    /// <summary>A session over already compiled graphs.</summary>
    public OnnxInferenceSession(CompiledModel compiled, OnnxOptions? options = null)
    {
        this.compiled = compiled;
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
    public static CompiledModel Compile(string weightsPath, TapeOverride? tape = null, HaltingOverride? halting = null, bool traceReads = false)
    {
        var file = CheckpointFile.Read(weightsPath);
        var spec = CheckpointFile.SpecOf(file, weightsPath);
        if (tape is not null) spec = tape.ApplyOrThrow(spec);
        if (halting is not null) spec = halting.ApplyOrThrow(spec);
        return OnnxCompiler.Compile(spec, new ModelWeights(file.Tensors, weightsPath), traceReads);
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

    private RunOutput RunPadded(float[] inputs, int count)
    {
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

    private TapeReadBatch ReadTapes(float[] inputs, int count)
    {
        Elastic();
        using var input = Input(inputs, count);
        read ??= Open(compiled.Read!, null);
        string[] names = compiled.ReadIsTraced
            ? [StageNames.Hidden, StageNames.Tape, StageNames.Lengths, StageNames.TraceIndices, StageNames.TraceWeights]
            : [StageNames.Hidden, StageNames.Tape, StageNames.Lengths];
        using var outputs = read.Run(runOptions, [StageNames.Input], [input], names);
        var lengths = Ints(outputs[2]);
        return new TapeReadBatch(count, compiled.Tokens, Spec.Model.Encoder.Width, compiled.MaxTape,
            outputs[0].GetTensorDataAsSpan<float>().ToArray(), outputs[1].GetTensorDataAsSpan<float>().ToArray(), lengths,
            compiled.ReadIsTraced ? Trace(outputs[3], outputs[4], lengths) : null);
    }

    /// <summary>Per sample, the steps it took (n = length / m) with their merged indices and weights.</summary>
    private TapeReadStep[][] Trace(OrtValue indices, OrtValue weights, int[] lengths)
    {
        var shape = indices.GetTensorTypeAndShape().Shape;                                  // [B, S, k]
        var m = ((AdaTapeModelSpec)Spec.Model).Tape.TokensPerStep;
        return TapeReadStep.FromPadded(lengths.Length, (int)shape[1], (int)shape[2], indices.GetTensorDataAsSpan<long>(),
            weights.GetTensorDataAsSpan<float>(), lengths.Select(l => l / m).ToArray());
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
        if (!encodeSessions.TryGetValue(tapeLength, out var session))
            encodeSessions[tapeLength] = session = Open(compiled.Encode!, new Dictionary<string, long> { [StageNames.TapeLengthDim] = tapeLength });
        using var h = OrtValue.CreateTensorValueFromMemory(hidden, [count, compiled.Tokens, width]);
        using var t = OrtValue.CreateTensorValueFromMemory(tape, [count, tapeLength, width]);
        using var l = OrtValue.CreateTensorValueFromMemory(lengths.Select(x => (long)x).ToArray(), [count]);
        using var outputs = session.Run(runOptions, [StageNames.Hidden, StageNames.Tape, StageNames.Lengths], [h, t, l], [StageNames.Logits]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    private OrtValue Input(float[] inputs, int count)
    {
        var problem = InputShapes.Problem(Spec.Task, inputs, count);
        if (problem is not null) throw new ArgumentException(problem, nameof(inputs));
        return OrtValue.CreateTensorValueFromMemory(inputs, [count, .. inputShape]);
    }

    private InferenceSession Open(Proto.ModelProto model, IReadOnlyDictionary<string, long>? freeDimensions)
    {
        using var sessionOptions = SessionOptionsFactory.Create(provider, options, freeDimensions);
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
            foreach (var session in new[] { full, read }.Concat(encodeSessions.Values).OfType<InferenceSession>()) session.EndProfiling();
        full?.Dispose();
        read?.Dispose();
        foreach (var session in encodeSessions.Values) session.Dispose();
        runOptions.Dispose();
    }
}
