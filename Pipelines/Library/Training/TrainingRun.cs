using System.Diagnostics;
using System.Globalization;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using AdaTapeDml.Core.Checkpoints;
using AdaTapeDml.Core.Contracts;

namespace AdaTapeDml.Pipelines.Training;

/// <summary>A training run as a cold <see cref="IObservable{T}"/>: subscribing starts it on its own thread, disposing
/// the subscription stops it after the current step. The trainer does not know who listens; the CLI renders events,
/// tests collect them. Metrics CSVs and checkpoints are written atomically as the run goes.</summary>
public static class TrainingRun
{
    public const string ElapsedKey = "adatape.elapsedSeconds";

    /// <param name="createTrainer">Builds the trainer (fresh or resumed) on the run's own thread, since native state is thread-affine.</param>
    /// <param name="options">Run folder, budget, event interval.</param>
    /// <param name="scheduler">Where the loop runs; a new thread by default.</param>
    public static IObservable<TrainingEvent> Observe(Func<ITrainer> createTrainer, TrainingOptions options, IScheduler? scheduler = null) =>
        Observable.Create<TrainingEvent>((observer, cancel) => Task.Factory.StartNew(() =>
        {
            using var trainer = createTrainer();
            var spec = trainer.Spec;
            var log = MetricsLog.Resume(options.Run, trainer.StepsDone);
            var previous = log.ElapsedAtResume;
            var clock = Stopwatch.StartNew();
            TimeSpan Elapsed() => previous + clock.Elapsed;
            var total = spec.Training.Steps;
            observer.OnNext(new TrainingStarted(trainer.StepsDone, Elapsed(), spec.Name, trainer.ParameterCount, total, trainer.StepsDone > 0));
            EvalResult? last = null;
            var budgetExhausted = false;
            while (trainer.StepsDone < total && !cancel.IsCancellationRequested)
            {
                if (options.Budget is { } budget && clock.Elapsed >= budget) { budgetExhausted = true; break; }
                var stepClock = Stopwatch.StartNew();
                var metrics = trainer.TrainStep();
                var rate = metrics.Examples / Math.Max(1e-9, stepClock.Elapsed.TotalSeconds);
                log.AddStep(metrics, Elapsed());
                if (metrics.Step % options.StepEventInterval == 0 || metrics.Step == total)
                    observer.OnNext(new StepCompleted(metrics.Step, Elapsed(), metrics, rate));
                if (metrics.Step % spec.Training.EvalInterval == 0 && metrics.Step < total)
                {
                    last = trainer.Evaluate();
                    log.AddEvaluation(last, Elapsed());
                    observer.OnNext(new EvaluationCompleted(metrics.Step, Elapsed(), last));
                }
                if (metrics.Step % spec.Training.CheckpointInterval == 0 && metrics.Step < total)
                    observer.OnNext(WriteCheckpoint(trainer, options.Run, log, Elapsed()));
            }
            if (cancel.IsCancellationRequested) return;
            if (last is null || last.Step != trainer.StepsDone)
            {
                last = trainer.Evaluate();
                log.AddEvaluation(last, Elapsed());
                observer.OnNext(new EvaluationCompleted(trainer.StepsDone, Elapsed(), last));
            }
            observer.OnNext(WriteCheckpoint(trainer, options.Run, log, Elapsed()));
            AtomicFile.WriteAllBytes(options.Run.Weights, trainer.Weights());
            observer.OnNext(new TrainingCompleted(trainer.StepsDone, Elapsed(), last, budgetExhausted));
            observer.OnCompleted();
        }, cancel, TaskCreationOptions.LongRunning, TaskScheduler.Default));

    private static CheckpointWritten WriteCheckpoint(ITrainer trainer, RunDirectory run, MetricsLog log, TimeSpan elapsed)
    {
        log.Flush();
        var meta = new Dictionary<string, string> { [ElapsedKey] = elapsed.TotalSeconds.ToString("R", CultureInfo.InvariantCulture) };
        AtomicFile.WriteAllBytes(run.Checkpoint, trainer.Checkpoint(meta));
        return new CheckpointWritten(trainer.StepsDone, elapsed, run.Checkpoint);
    }

    /// <summary>Elapsed training seconds stored in a checkpoint's metadata (0 when absent).</summary>
    public static TimeSpan ElapsedOf(SafeTensorsFile checkpoint) =>
        TimeSpan.FromSeconds(double.TryParse(checkpoint.Metadata.GetValueOrDefault(ElapsedKey), NumberStyles.Float, CultureInfo.InvariantCulture, out var s) ? s : 0);
}
