using System.Reactive.Linq;
using AdaTapeDml.Pipelines.Training;
using Spectre.Console;
using static System.FormattableString;

namespace AdaTapeDml.Cli;

/// <summary>Renders a training run's events: a Spectre.Console progress bar on a terminal, plain periodic lines
/// otherwise (CI, pipes). Rendering happens on the caller's thread only (Spectre's progress is not thread-safe).</summary>
public static class TrainingConsole
{
    /// <summary>Runs the observable to completion, rendering as it goes; returns the completion event.</summary>
    public static TrainingCompleted Run(IObservable<TrainingEvent> run, CliContext context, CancellationToken cancel)
    {
        var events = run.ToEnumerable();
        var interactive = context.Out == Console.Out && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
        return interactive ? RenderProgress(events, cancel) : RenderLines(events, context.Out, cancel);
    }

    private static TrainingCompleted RenderLines(IEnumerable<TrainingEvent> events, TextWriter output, CancellationToken cancel)
    {
        var total = 1;
        var nextLine = 0;
        foreach (var e in events)
        {
            cancel.ThrowIfCancellationRequested();
            switch (e)
            {
                case TrainingStarted s:
                    total = s.TotalSteps;
                    nextLine = s.Step + Math.Max(1, total / 20);
                    output.WriteLine($"{s.Name}: {s.Parameters:N0} parameters, {(s.Resumed ? $"resuming at step {s.Step}" : "starting")}, {total} steps");
                    break;
                case StepCompleted st when st.Step >= nextLine || st.Step == total:
                    nextLine = st.Step + Math.Max(1, total / 20);
                    output.WriteLine(Invariant($"  step {st.Step,6}/{total}  loss {st.Metrics.Loss:F4}  acc {st.Metrics.Accuracy:P1}  tape {st.Metrics.MeanTape:F2}±{st.Metrics.StdTape:F2}  lr {st.Metrics.LearningRate:E2}  {st.ExamplesPerSecond:F0} ex/s  {st.Elapsed:hh\\:mm\\:ss}"));
                    break;
                case EvaluationCompleted ev:
                    output.WriteLine(Invariant($"  eval {ev.Step,6}: held-out accuracy {ev.Result.Accuracy:P2} on {ev.Result.Examples} examples, tape {ev.Result.MeanTape:F2}±{ev.Result.StdTape:F2}"));
                    break;
                case TrainingCompleted done:
                    output.WriteLine(Invariant($"done at step {done.Step}{(done.BudgetExhausted ? " (time budget spent)" : "")}: held-out accuracy {done.Final.Accuracy:P2}, {done.Elapsed.TotalSeconds:F0} s"));
                    return done;
            }
        }
        throw new OperationCanceledException("training stopped before completing");
    }

    private static TrainingCompleted RenderProgress(IEnumerable<TrainingEvent> events, CancellationToken cancel)
    {
        TrainingCompleted? done = null;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                ProgressTask? task = null;
                foreach (var e in events)
                {
                    cancel.ThrowIfCancellationRequested();
                    switch (e)
                    {
                        case TrainingStarted s:
                            task = ctx.AddTask(Markup.Escape(s.Name), maxValue: s.TotalSteps);
                            task.Value = s.Step;
                            break;
                        case StepCompleted st when task is not null:
                            task.Value = st.Step;
                            task.Description = Markup.Escape(Invariant($"loss {st.Metrics.Loss:F3} acc {st.Metrics.Accuracy:P0} tape {st.Metrics.MeanTape:F1}"));
                            break;
                        case EvaluationCompleted ev:
                            AnsiConsole.MarkupLine(Markup.Escape(Invariant($"eval {ev.Step}: held-out accuracy {ev.Result.Accuracy:P2}, tape {ev.Result.MeanTape:F2}±{ev.Result.StdTape:F2}")));
                            break;
                        case TrainingCompleted c:
                            done = c;
                            break;
                    }
                }
            });
        return done ?? throw new OperationCanceledException("training stopped before completing");
    }
}
