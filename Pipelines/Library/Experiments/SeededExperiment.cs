using System.Text;
using static System.FormattableString;

namespace AdaTapeDml.Pipelines.Experiments;

/// <summary>One seed's share of a seeded experiment: its plan (run folders under Root/seed-S, or Root itself for a single
/// seed) and its results.</summary>
public sealed record SeedRun(int Seed, ExperimentPlan Plan, IReadOnlyList<ExperimentResult> Results);

/// <summary>What a seeded experiment produced: the plan of the root folder's report and the results it shows (the means
/// over the seeds, or the one seed's results), each seed's own run, and the per-seed section of the report.</summary>
public sealed record SeededOutcome(ExperimentPlan Plan, IReadOnlyList<ExperimentResult> Results, IReadOnlyList<SeedRun> PerSeed, string PerSeedMarkdown);

/// <summary>Runs an experiment under one or several seeds. One seed is the plain experiment in the root folder. Several
/// seeds each run the whole experiment in Root/seed-S (its own run folders, results.json, report and plots, resumed and
/// reused like any experiment), then the root folder gets the means over the seeds (<see cref="SeedMean"/>): results.json,
/// report.md with every seed's accuracy and curve verdicts, and the plots that draw from results alone.</summary>
public static class SeededExperiment
{
    public static string FolderOf(string root, int seed) => Path.Combine(root, Invariant($"seed-{seed}"));

    /// <param name="planAt">The experiment under a seed, written to a folder.</param>
    /// <param name="meanPlots">Plots of the root folder when there are several seeds (they see only the mean results, no run folders).</param>
    public static SeededOutcome Run(IReadOnlyList<int> seeds, Func<int, string, ExperimentPlan> planAt, string root,
        IReadOnlyList<ExperimentPlot> meanPlots, ExperimentBackend backend)
    {
        if (seeds.Count == 0) throw new ArgumentException("no seed", nameof(seeds));
        if (seeds.Count == 1)
        {
            var plan = planAt(seeds[0], root);
            var results = ExperimentRunner.Run(plan, backend);
            return new SeededOutcome(plan, results, [new SeedRun(seeds[0], plan, results)], "");
        }
        var perSeed = seeds.Select(seed =>
        {
            backend.Log.WriteLine(Invariant($"seed {seed}: {FolderOf(root, seed)}"));
            var plan = planAt(seed, FolderOf(root, seed));
            return new SeedRun(seed, plan, ExperimentRunner.Run(plan, backend));
        }).ToList();
        var mean = SeedMean.Of(seeds, perSeed.Select(s => s.Results).ToList());
        var perSeedText = PerSeedMarkdown(perSeed, mean);
        var template = planAt(seeds[0], root);
        var summary = template with
        {
            Title = $"{template.Title}: mean over seeds {string.Join(", ", seeds)}",
            Plots = meanPlots,
            Notes =
            [
                Invariant($"Every number is the mean over {seeds.Count} seeds (initialisation, data order); ± after an accuracy is the seeds' sample standard deviation. Each seed's own report, results and run folders are in seed-S/. FLOPs std and adaptive std are over every test sample of every seed."),
                perSeedText,
                .. template.Notes,
            ],
        };
        ExperimentFiles.Write(summary, mean);
        return new SeededOutcome(summary, mean, perSeed, perSeedText);
    }

    /// <summary>Each model's accuracy per seed beside its mean over them, and the curve comparison's verdict within each seed.</summary>
    public static string PerSeedMarkdown(IReadOnlyList<SeedRun> perSeed, IReadOnlyList<ExperimentResult> mean)
    {
        var text = new StringBuilder("Per seed, held-out accuracy:\n\n| model |");
        text.Append(string.Concat(perSeed.Select(s => Invariant($" seed {s.Seed} |")))).AppendLine(" mean ± std |");
        text.Append("|---|").Append(string.Concat(perSeed.Select(_ => "---:|"))).AppendLine("---:|");
        foreach (var model in mean)
        {
            text.Append($"| {model.Name} |").Append(string.Concat(model.SeedAccuracies!.Select(a => Invariant($" {a:P2} |"))));
            text.AppendLine(Invariant($" {model.Accuracy:P2} ± {100 * model.AccuracyStd:F2} |"));
        }
        foreach (var seed in perSeed)
            foreach (var against in CurveComparison.Of(seed.Results))
                text.AppendLine().Append(Invariant($"Seed {seed.Seed}, AdaTape's best curve against {against.Baseline}: {against.Verdict}."));
        return text.ToString();
    }
}
