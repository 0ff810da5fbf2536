using AdaTapeDml.Backends.TorchSharp.Interop;
using AdaTapeDml.Backends.TorchSharp.Training;
using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Core.Tasks;
using AdaTapeDml.Properties.Halting;
using AdaTapeDml.Properties.Halting.Backends;
using AdaTapeDml.Properties.Pipelines;
using static TorchSharp.torch;

namespace AdaTapeDml.Properties.Backends;

/// <summary>Sessions and trainers call libtorch only on <see cref="TorchThread"/>, so the process keeps one OpenMP pool
/// however many threads drive them (a second pool made every small operation wait for a wake-up). On Linux a thread
/// inherits its creator's name, so OpenMP workers started by a thread carry that thread's name: a probe thread that
/// drives a session and a trainer with two torch threads must leave no namesake behind, while the torch thread has
/// workers of its own (so the work was large enough to start a parallel region and the check is not vacuous).</summary>
public sealed class TorchThread_OneOpenMpPool
{
    private const string Probe = "adatape-probe";

    [Fact]
    public void A_thread_driving_a_session_and_a_trainer_starts_no_OpenMP_workers_of_its_own()
    {
        Assert.True(OperatingSystem.IsLinux(), "this check reads thread names from /proc (Linux)");
        var spec = SavedTinyModels.AdaTapeSpec;
        var seqLen = ((ParityTaskSpec)spec.Task).SeqLen;
        using var session = new TorchInferenceBackend().Open(spec, seed: 4);
        var tiny = TinySpecs.AdaTapeParity(steps: 4);
        var training = tiny with { Training = tiny.Training with { BatchSize = 2048 } };
        var inputs = ReadTrace_EqualsOracle.ParityInputsOf(4096, seqLen, seed: 9);
        var (namesakes, torchThreads, failure) = (-1, -1, (Exception?)null);
        var previous = get_num_threads();
        set_num_threads(2);                     // here, not on the probe: it also sizes torch's process-wide pthreadpool,
                                                // whose first worker would carry the probe's name
        var probe = new Thread(() =>
        {
            try
            {
                session.Run(inputs, 4096);
                using (var read = session.Read(inputs, 4096)) session.EncodeBatch(read, EncodeMode.Padded);
                using (var trainer = new TorchTrainer(training, DataSources.For(training.Task, training.Training.Seed)))
                    trainer.TrainStep();
                (namesakes, torchThreads) = (ThreadsNamed(Probe), ThreadsNamed("adatape-torch"));   // while the probe lives
            }
            catch (Exception e) { failure = e; }
        }) { Name = Probe };
        probe.Start();
        probe.Join();
        set_num_threads(previous);

        Assert.Null(failure);
        Assert.Equal(1, namesakes);                                                   // the probe itself, no pool
        Assert.True(torchThreads >= 2, $"the torch thread has {torchThreads - 1} OpenMP workers; the work never ran in parallel");
    }

    [Fact]
    public void Work_runs_with_the_calling_threads_torch_thread_count()
    {
        int On(int threads)
        {
            var seen = 0;
            var caller = new Thread(() =>
            {
                var previous = get_num_threads();
                set_num_threads(threads);
                seen = TorchThread.Run(() => TorchThread.IsCurrent ? get_num_threads() : -1);
                set_num_threads(previous);
            });
            caller.Start();
            caller.Join();
            return seen;
        }

        Assert.Equal(1, On(1));
        Assert.Equal(2, On(2));
        Assert.Equal(1, On(1));
    }

    [Fact]
    public void Failures_keep_their_type_and_message_and_nested_calls_run_inline()
    {
        var error = Assert.Throws<ArgumentException>(() => TorchThread.Run(() => throw new ArgumentException("bad shape")));
        Assert.Equal("bad shape", error.Message);
        Assert.Equal(7, TorchThread.Run(() => TorchThread.Run(() => 7)));             // would deadlock if queued behind itself
        Assert.False(TorchThread.IsCurrent);
    }

    private static int ThreadsNamed(string name) =>
        Directory.GetDirectories("/proc/self/task").Count(task => ReadName(task) == name);

    private static string? ReadName(string task)
    {
        try { return File.ReadAllText(Path.Combine(task, "comm")).Trim(); }
        catch (IOException) { return null; }                                         // a thread that ended meanwhile
    }
}
