using System.Globalization;
using System.Text;
using AdaTapeDml.Core.Contracts;

namespace AdaTapeDml.Pipelines.Training;

/// <summary>Per-step and per-evaluation metrics of a run, kept in memory and written as CSV (atomically) at each
/// checkpoint and at the end. On resume, rows after the checkpoint's step are dropped, since those steps are redone.</summary>
public sealed class MetricsLog
{
    private const string StepHeader = "step,elapsedSeconds,loss,taskLoss,auxLoss,accuracy,meanTape,stdTape,learningRate";
    private const string EvalHeader = "step,elapsedSeconds,accuracy,loss,meanTape,stdTape,examples";
    private readonly RunDirectory run;
    private readonly List<string> steps;
    private readonly List<string> evals;

    private MetricsLog(RunDirectory run, List<string> steps, List<string> evals, TimeSpan elapsed) =>
        (this.run, this.steps, this.evals, ElapsedAtResume) = (run, steps, evals, elapsed);

    /// <summary>Training time already spent before this session (from the last kept row).</summary>
    public TimeSpan ElapsedAtResume { get; }

    /// <summary>Starts a log, keeping existing rows up to <paramref name="step"/> (0 = a fresh run).
    /// A damaged CSV is a <see cref="Core.Validation.UserError"/> naming the file and line.</summary>
    public static MetricsLog Resume(RunDirectory run, int step)
    {
        var steps = step == 0 ? [] : MetricsCsv.Read(run.StepMetrics, StepHeader).Where(r => r.Step <= step).ToList();
        var evals = step == 0 ? [] : MetricsCsv.Read(run.Evaluations, EvalHeader).Where(r => r.Step <= step).ToList();
        var elapsed = steps.Count == 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(steps[^1].Values[1]);
        return new MetricsLog(run, steps.Select(r => r.Text).ToList(), evals.Select(r => r.Text).ToList(), elapsed);
    }

    /// <summary>Held-out accuracy against training time from a run's evals.csv (none when it has none yet); a damaged
    /// file is a <see cref="Core.Validation.UserError"/> naming the file and line.</summary>
    public static IReadOnlyList<(double Seconds, double Accuracy)> Evaluations(RunDirectory run) =>
        MetricsCsv.Read(run.Evaluations, EvalHeader).Select(r => (r.Values[1], r.Values[2])).ToList();

    public void AddStep(TrainStepResult m, TimeSpan elapsed) => steps.Add(Row(m.Step, elapsed.TotalSeconds, m.Loss, m.TaskLoss, m.AuxLoss, m.Accuracy, m.MeanTape, m.StdTape, m.LearningRate));

    public void AddEvaluation(EvalResult e, TimeSpan elapsed) => evals.Add(Row(e.Step, elapsed.TotalSeconds, e.Accuracy, e.Loss, e.MeanTape, e.StdTape, e.Examples));

    public void Flush()
    {
        AtomicFile.WriteAllText(run.StepMetrics, Csv(StepHeader, steps));
        AtomicFile.WriteAllText(run.Evaluations, Csv(EvalHeader, evals));
    }

    private static string Row(int step, params double[] values) =>
        string.Join(',', [step.ToString(CultureInfo.InvariantCulture), .. values.Select(v => v.ToString("G6", CultureInfo.InvariantCulture))]);

    private static string Csv(string header, List<string> rows)
    {
        var sb = new StringBuilder(header).Append('\n');
        foreach (var row in rows) sb.Append(row).Append('\n');
        return sb.ToString();
    }
}
