using System.Net;
using AdaTapeDml.Backends.TorchSharp.Inference;
using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Properties.Backends;
using AdaTapeDml.Properties.Halting.Backends;
using AdaTapeDml.Server;

namespace AdaTapeDml.Properties.Server;

/// <summary>The halting baselines answer with what each sample computed: a Universal Transformer adds `ut_steps` INT32 [B],
/// an A-ViT `token_depth` FP32 [B] (mean token depth), listed in the model's metadata and equal to its session's own
/// per-sample report on the same inputs; models without them do not list them.</summary>
public sealed class Server_HaltingOutputs
{
    private static readonly sbyte[][] Sequences = [[1, 0, -1, 1, 1, 0], [0, 0, 0, 0, 0, 1], [1, 1, 1, -1, -1, 0]];

    public static TheoryData<string> Kinds() => ["ut", "avit"];

    [Theory, MemberData(nameof(Kinds))]
    public async Task Each_sample_reports_its_own_steps_or_depth_as_its_session_does(string kind)
    {
        ModelSpec model = kind == "ut"
            ? new UniversalTransformerModelSpec(TinySpecs.Encoder with { Depth = 1 }, new ActHaltingSpec(MaxSteps: 4, HaltingBiasInit: 0))
            : new AvitModelSpec(TinySpecs.Encoder with { Classifier = Classifier.Token, Depth = 3 }, new TokenHaltingSpec(GateCenter: 0));
        var spec = TinySpecs.Of(model) with { Name = kind };
        var path = Path.Combine(Path.GetTempPath(), $"adatape-halting-{Guid.NewGuid():N}.safetensors");
        File.WriteAllBytes(path, TorchInferenceBackend.RandomWeights(spec, seed: 3));
        try
        {
            var source = new ModelSource(kind, spec, "adatapedml_torch", knob => () => new TorchInferenceSession(path, knob));
            await using var server = await ServerKit.Start(source);
            using var client = ServerKit.Client(server);
            var name = kind == "ut" ? ModelSignature.UtSteps : ModelSignature.TokenDepth;

            var (_, metadata) = await ServerKit.Get(client, $"v2/models/{kind}");
            Assert.Contains(name, metadata.GetProperty("outputs").EnumerateArray().Select(o => o.GetProperty("name").GetString()));
            var (status, answer, _) = await ServerKit.Post(client, $"v2/models/{kind}/infer", ServerKit.Sequences(Sequences));
            Assert.True(status == HttpStatusCode.OK, answer.ToString());

            using var session = new TorchInferenceSession(path);
            var expected = session.Run(AdaTapeDml.Core.Tasks.Parity.OneHot(Sequences, Sequences[0].Length), Sequences.Length).Compute;
            var served = ServerKit.Outputs(answer)[name];
            Assert.Equal([Sequences.Length], served.Shape);
            for (var b = 0; b < Sequences.Length; b++)
                Assert.Equal(expected.Statistic(b), served.Data[b].GetDouble(), 1e-6);
            Assert.IsType(kind == "ut" ? typeof(HaltingStepsCompute) : typeof(TokenDepthCompute), expected);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Models_that_do_not_adapt_depth_do_not_list_the_depth_outputs()
    {
        var names = ModelSignature.Outputs(TinySpecs.AdaTapeParity()).Select(o => o.Name).ToArray();
        Assert.Equal([ModelSignature.Probabilities, ModelSignature.Prediction, ModelSignature.TapeLength], names);
    }
}
