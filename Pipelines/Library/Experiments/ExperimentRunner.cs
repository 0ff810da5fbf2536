using AdaTapeDml.Core.Checkpoints;
using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Cost;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Core.Validation;
using AdaTapeDml.Pipelines.Specs;
using AdaTapeDml.Pipelines.Training;

namespace AdaTapeDml.Pipelines.Experiments;

/// <summary>Runs an experiment: trains every entry of a plan in its own run folder under the same recipe and cap, resumes
/// an unfinished one from its checkpoint and reuses a finished one, measures each, and writes results.json, report.md and
/// the plots (all atomically). Parity and images are plans; the commands only parse options and print the table.</summary>
public static class ExperimentRunner
{
    public static IReadOnlyList<ExperimentResult> Run(ExperimentPlan plan, ExperimentBackend backend)
    {
        Directory.CreateDirectory(plan.Root);
        var data = new Dictionary<(TaskSpec, int), IDataSource>();
        IDataSource DataOf(RunSpec spec)
        {
            var key = (spec.Task, spec.Training.Seed);
            return data.TryGetValue(key, out var source) ? source : data[key] = backend.LoadData(spec);
        }
        foreach (var entry in plan.Entries) DataOf(entry.Spec);              // a missing or bad data file fails before any training
        var results = plan.Entries.Select(entry => RunEntry(plan, entry, backend, DataOf)).ToList();
        ExperimentFiles.Write(plan, results);
        return results;
    }

    /// <summary>The run folder of an entry.</summary>
    public static RunDirectory RunOf(ExperimentPlan plan, ExperimentEntry entry) => new(Path.Combine(plan.Root, entry.Name));

    private static ExperimentResult RunEntry(ExperimentPlan plan, ExperimentEntry entry, ExperimentBackend backend, Func<RunSpec, IDataSource> dataOf)
    {
        var (name, spec) = (entry.Name, entry.Spec);
        var run = RunOf(plan, entry);
        Directory.CreateDirectory(run.Root);
        // A folder started with other options is refused, not resumed: its spec.json would describe another recipe than
        // the one the rest of the experiment trains under.
        var changed = RunSpecFile.DifferencesFromStored(run.Spec, spec);
        if (changed.Count > 0)
            throw new UserError($"{run.Root} holds a {name} run started with other options ({string.Join("; ", changed)}); rerun with {plan.SpecOptions} it was started with, or choose another --out");
        if (ModelResultFile.Read(run.Result) is { Finished: true } previous)
        {
            backend.Log.WriteLine($"{name}: finished earlier in {run.Root}; reusing its result (delete the folder to retrain)");
            return previous;
        }
        var source = dataOf(spec);
        var resume = File.Exists(run.Checkpoint);
        if (!resume) RunSpecFile.Save(spec, run.Spec);
        var done = backend.Watch(TrainingRun.Observe(
            () => backend.CreateTrainer(spec, source, resume ? run.Checkpoint : null),
            new TrainingOptions(run, plan.BudgetPerModel)));
        var result = Measure(plan, entry, run, done, source, backend);
        ModelResultFile.Write(run.Result, result);
        return result;
    }

    private static ExperimentResult Measure(ExperimentPlan plan, ExperimentEntry entry, RunDirectory run, TrainingCompleted done, IDataSource data, ExperimentBackend backend)
    {
        var spec = entry.Spec;
        var (accuracy, adaptive, flops) = WithSession(backend, backend.SweepBackend, run.Weights, null, s => ModelMeasurement.Evaluate(s, data));
        var examples = (long)done.Step * spec.Training.BatchSize;
        var throughput = plan.Inference is { } inference
            ? inference.Backends.Select(b => new ThroughputResult(b, inference.BatchSize, WithSession(backend, b, run.Weights, null,
                s => ModelMeasurement.Throughput(s, data, inference.BatchSize, inference.Batches)))).ToList()
            : [];
        var sweep = (plan.Knobs ?? []).Where(k => k.AppliesTo(spec)).SelectMany(k => Sweep(k, spec, run, data, backend)).ToList();
        return new ExperimentResult(entry.Name, entry.Kind, TaskName(spec.Task), ParameterCount(run), accuracy, done.Final.Examples,
            flops.Mean, flops.Std, adaptive, throughput, done.Elapsed.TotalSeconds, done.Step, spec.Training.Steps, examples,
            data.TrainCount is { } n ? examples / (double)n : null, done.BudgetExhausted && done.Step < spec.Training.Steps, sweep);
    }

    private static IEnumerable<SweepPoint> Sweep(IComputeKnob knob, RunSpec spec, RunDirectory run, IDataSource data, ExperimentBackend backend)
    {
        foreach (var (value, setting) in knob.Settings(spec))
        {
            var (accuracy, adaptive, flops) = WithSession(backend, backend.SweepBackend, run.Weights, setting, s => ModelMeasurement.Evaluate(s, data));
            backend.Log.WriteLine(FormattableString.Invariant($"  {knob.Name} {value:G4}: accuracy {accuracy:P2}, {flops.Mean / 1e6:F2} MFLOPs/sample"));
            yield return new SweepPoint(knob.Name, value, flops.Mean, accuracy, adaptive);
        }
    }

    private static T WithSession<T>(ExperimentBackend backend, string name, string weights, KnobSetting? knob, Func<IInferenceSession, T> use)
    {
        if (!backend.Sessions.TryGetValue(name, out var open))
            throw new ArgumentException($"no inference backend '{name}'; known: {string.Join(", ", backend.Sessions.Keys)}");
        using var session = open(weights, knob);
        return use(session);
    }

    private static long ParameterCount(RunDirectory run) => CheckpointFile.Read(run.Weights).Tensors.Values.Sum(t => t.ElementCount);

    private static string TaskName(TaskSpec task) => task switch
    {
        ParityTaskSpec p => $"parity{p.SeqLen}",
        FashionMnistTaskSpec => "fashionMnist",
        _ => task.GetType().Name,
    };
}
