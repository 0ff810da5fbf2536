using AdaTapeDml.Backends.Onnx.Runtime;
using AdaTapeDml.Backends.TorchSharp.Inference;
using AdaTapeDml.Core.Atr;
using AdaTapeDml.Core.Checkpoints;
using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Numerics;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Core.Tasks;
using AdaTapeDml.Properties.Halting.Backends;
using AdaTapeDml.Properties.Pipelines;

namespace AdaTapeDml.Properties.Halting;

/// <summary>An inference session opened to trace (what `adatape infer --trace` prints) reports, per sample, exactly the
/// steps the Core oracle takes on the same query and bank: the same bank indices in the same order (exact) and weights
/// within the backend's tolerance; the trace's steps times m is the tape length. The bank is learnable, so the oracle reads
/// it from the checkpoint, and the query is the mean of the hidden states READ returns (gap pooling). Also with the
/// k-holding knob, and a session not opened to trace carries no trace.</summary>
public sealed class ReadTrace_EqualsOracle
{
    private const int Samples = 24;

    public static TheoryData<string, double?> Cases() => new()
    {
        { "torch", null }, { "onnx", null }, { "torch", 1.0 }, { "onnx", 1.0 }, { "torch", 3.0 }, { "onnx", 3.0 },
    };

    [Theory, MemberData(nameof(Cases))]
    public void Trace_indices_equal_the_oracle_and_weights_lie_within_tolerance(string backend, double? holdKAtTau)
    {
        var spec = SavedTinyModels.AdaTapeSpec;
        var path = Save(spec, seed: 11);
        var knob = holdKAtTau is { } tau ? new TapeOverride(ActEpsilon: tau, HoldCandidates: true) : null;
        using var session = Open(backend, path, knob, trace: true);
        var inputs = ParityInputsOf(Samples, ((ParityTaskSpec)spec.Task).SeqLen, seed: 4);
        var read = session.Read(inputs, Samples);
        Assert.NotNull(read.Trace);

        var file = CheckpointFile.Read(path).Tensors;
        var bank = Rows(file[$"{CheckpointKeys.Model}bank.tape_tokens"]);
        var norm = new LayerNormParams(file[$"{CheckpointKeys.Model}bank_norm.weight"].Values, file[$"{CheckpointKeys.Model}bank_norm.bias"].Values);
        var tape = ((AdaTapeModelSpec)session.Spec.Model).Tape;
        var config = AtrConfig.From(tape, read.Width);
        Assert.Equal(holdKAtTau is null ? null : ((AdaTapeModelSpec)spec.Model).Tape.CandidatesPerStep, config.PinnedCandidates);
        var tolerance = backend == "torch" ? 1e-5 : 1e-4;
        for (var b = 0; b < Samples; b++)
        {
            var expected = ReferenceAtr.Read(MeanToken(read, b), bank, norm, config);
            var actual = read.Trace![b];
            Assert.Equal(read.Lengths[b], actual.Length * tape.TokensPerStep);
            Assert.True(expected.StepCount == actual.Length, $"sample {b}: {actual.Length} steps, oracle {expected.StepCount}");
            for (var t = 0; t < actual.Length; t++)
            {
                Assert.Equal(expected.Steps[t].Indices, actual[t].Indices);
                TraceAssert.Near(expected.Steps[t].Weights, actual[t].Weights, tolerance, $"sample {b} step {t} weights");
            }
        }
        if (holdKAtTau is null) Assert.Contains(read.Lengths, l => l != read.Lengths[0]);         // as trained: tapes of varied length
    }

    [Theory, EveryInferenceBackend]
    public void A_session_not_opened_to_trace_reports_no_trace(string backend)
    {
        using var session = Open(backend, Save(SavedTinyModels.AdaTapeSpec, seed: 11), null, trace: false);
        Assert.Null(session.Read(ParityInputsOf(3, 10, seed: 1), 3).Trace);
    }

    public static IInferenceSession Open(string backend, string path, TapeOverride? knob, bool trace) => backend switch
    {
        "torch" => new TorchInferenceSession(path, knob, traceReads: trace),
        "onnx" => new OnnxInferenceSession(path, tape: knob, traceReads: trace),
        _ => throw new ArgumentOutOfRangeException(nameof(backend), backend, "torch or onnx"),
    };

    /// <summary>Random weights of <paramref name="spec"/> saved to a temporary file that stays for the test run.</summary>
    public static string Save(RunSpec spec, int seed)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("adatape-trace-").FullName, "model.safetensors");
        File.WriteAllBytes(path, TorchInferenceBackend.RandomWeights(spec, seed));
        return path;
    }

    /// <summary>One-hot parity inputs [count, seqLen, 3] of seeded random sequences.</summary>
    public static float[] ParityInputsOf(int count, int seqLen, int seed)
    {
        var random = new Random(seed);
        var sequences = Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, seqLen).Select(_ => (sbyte)random.Next(-1, 2)).ToArray()).ToArray();
        return AdaTapeDml.Core.Tasks.Parity.OneHot(sequences, seqLen);
    }

    /// <summary>The gap query: the mean over the tokens entering the tape layer.</summary>
    private static float[] MeanToken(TapeReadBatch read, int b)
    {
        var hidden = read.HiddenOf(b);
        var query = new float[read.Width];
        for (var j = 0; j < read.Width; j++)
        {
            double sum = 0;
            for (var n = 0; n < read.Tokens; n++) sum += hidden[n * read.Width + j];
            query[j] = (float)(sum / read.Tokens);
        }
        return query;
    }

    private static float[][] Rows(TensorData t) =>
        Enumerable.Range(0, (int)t.Shape[0]).Select(r => t.Values.AsSpan(r * (int)t.Shape[1], (int)t.Shape[1]).ToArray()).ToArray();
}
