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

    /// <summary>Starts a log, keeping existing rows up to <paramref name="step"/> (0 = a fresh run).</summary>
    public static MetricsLog Resume(RunDirectory run, int step)
    {
        var steps = step == 0 ? [] : KeptRows(run.StepMetrics, step);
        var evals = step == 0 ? [] : KeptRows(run.Evaluations, step);
        var elapsed = steps.Count == 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(double.Parse(steps[^1].Split(',')[1], CultureInfo.InvariantCulture));
        return new MetricsLog(run, steps, evals, elapsed);
    }

    public void AddStep(TrainStepResult m, TimeSpan elapsed) => steps.Add(Row(m.Step, elapsed.TotalSeconds, m.Loss, m.TaskLoss, m.AuxLoss, m.Accuracy, m.MeanTape, m.StdTape, m.LearningRate));

    public void AddEvaluation(EvalResult e, TimeSpan elapsed) => evals.Add(Row(e.Step, elapsed.TotalSeconds, e.Accuracy, e.Loss, e.MeanTape, e.StdTape, e.Examples));

    public void Flush()
    {
        AtomicFile.WriteAllText(run.StepMetrics, Csv(StepHeader, steps));
        AtomicFile.WriteAllText(run.Evaluations, Csv(EvalHeader, evals));
    }

    private static List<string> KeptRows(string path, int step) =>
        File.Exists(path)
            ? File.ReadLines(path).Skip(1).Where(l => int.TryParse(l.Split(',')[0], out var s) && s <= step).ToList()
            : [];

    private static string Row(int step, params double[] values) =>
        string.Join(',', [step.ToString(CultureInfo.InvariantCulture), .. values.Select(v => v.ToString("G6", CultureInfo.InvariantCulture))]);

    private static string Csv(string header, List<string> rows)
    {
        var sb = new StringBuilder(header).Append('\n');
        foreach (var row in rows) sb.Append(row).Append('\n');
        return sb.ToString();
    }
}
