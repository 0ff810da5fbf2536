using AdaTapeDml.Backends.TorchSharp.Inference;
using AdaTapeDml.Backends.TorchSharp.Training;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Core.Tasks;
using AdaTapeDml.Properties.Halting.Backends;
using AdaTapeDml.Properties.TestHost;
using Xunit;

namespace AdaTapeDml.Properties.Backends;

/// <summary>TorchSharp 0.107 lets a temporary Scalar be finalized while libtorch still reads it (see
/// Backends/TorchSharp/Interop/KeptScalars.cs); under `adatape serve` load that failed 16 of 20,000 requests with
/// "toFloat at Scalar.h:140". The backend now passes only Scalars that outlive each call, enforced at compile time by
/// BannedSymbols.txt. These tests run inference and training while another thread collects garbage and runs finalizers
/// without pause, and demand results bit-identical to a quiet run. (A one-line `a + b` loop under the same storm failed
/// 1 in 200,000 additions before the change, so this is a stress check; the ban list is the guarantee.)</summary>
public sealed class TorchSharp_GcPressure
{
    private const int Rounds = 400;

    [Theory]
    [InlineData("adatape")]
    [InlineData("ut")]
    public void Inference_under_a_finalizer_storm_equals_a_quiet_run(string kind)
    {
        var spec = kind == "ut" ? TinySpecs.Of(new UniversalTransformerModelSpec(TinySpecs.Encoder with { Depth = 1 })) : TinySpecs.AdaTapeParity();
        using var threads = TorchThreads.Pin();
        using var session = TorchInferenceBackend.OpenRandom(spec, seed: 5, path => new TorchInferenceSession(path));
        var batch = DataSources.For(spec.Task, seed: 1).EvalBatches(8).First();
        var (expected, expectedLengths) = session.Run(batch.Inputs, batch.Count);

        using (GcStorm.Start())
            for (var i = 0; i < Rounds; i++)
            {
                var (logits, lengths) = session.Run(batch.Inputs, batch.Count);
                Assert.Equal(expected, logits);
                Assert.Equal(expectedLengths, lengths);
                if (!session.IsElastic) continue;
                var read = session.Read(batch.Inputs, batch.Count);
                Assert.Equal(expectedLengths, read.Lengths);
            }
    }

    [Fact]
    public void Training_under_a_finalizer_storm_equals_a_quiet_run()
    {
        var spec = TinySpecs.AdaTapeParity(steps: 30);
        using var threads = TorchThreads.Pin();
        var quiet = Train(spec);
        using (GcStorm.Start())
            Assert.Equal(quiet, Train(spec));
    }

    private static byte[] Train(RunSpec spec)
    {
        using var trainer = new TorchTrainer(spec, DataSources.For(spec.Task, spec.Training.Seed));
        while (trainer.StepsDone < spec.Training.Steps) trainer.TrainStep();
        return trainer.Weights();
    }

    /// <summary>A thread that collects garbage and runs pending finalizers until disposed.</summary>
    private sealed class GcStorm : IDisposable
    {
        private volatile bool stop;
        private readonly Thread thread;

        private GcStorm()
        {
            thread = new Thread(() =>
            {
                while (!stop) { GC.Collect(); GC.WaitForPendingFinalizers(); }
            }) { IsBackground = true };
            thread.Start();
        }

        public static GcStorm Start() => new();

        public void Dispose() { stop = true; thread.Join(); }
    }
}
