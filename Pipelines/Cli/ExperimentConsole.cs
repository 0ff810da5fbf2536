using AdaTapeDml.Pipelines.Experiments;

namespace AdaTapeDml.Cli;

/// <summary>What the experiment commands share on the console: the --models list and the results table.</summary>
public static class ExperimentConsole
{
    /// <summary>A comma-separated model list, each name one of <paramref name="allowed"/>; else a one-line error.</summary>
    /// <param name="missing">Names this build knows of but lacks, with the reason (e.g. avit before it is merged).</param>
    public static List<string> ParseModels(string text, IReadOnlyList<string> allowed)
    {
        var names = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
        var unknown = names.FirstOrDefault(n => !allowed.Contains(n));
        if (unknown is not null || names.Count == 0)
            throw new UserError($"--models: unknown model '{unknown ?? text}'; allowed: {string.Join(", ", allowed)}");
        return names.Distinct().ToList();
    }

    /// <summary>A comma-separated seed list ("0" or "0,1,2"): non-negative integers, each once; else a one-line error.</summary>
    public static List<int> ParseSeeds(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var seeds = parts.Select(p => int.TryParse(p, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seed) ? seed : (int?)null).ToList();
        if (seeds.Any(s => s is null))
            throw new UserError($"--seed '{text}': expected a seed or comma-separated seeds, each a whole number >= 0 (e.g. 0 or 0,1,2)");
        if (seeds.Distinct().Count() != seeds.Count)
            throw new UserError($"--seed '{text}': a seed is listed twice; each seed trains its own runs once");
        return seeds.Select(s => s!.Value).ToList();
    }

    public static void Print(SeededOutcome outcome, CliContext context)
    {
        Print(outcome.Plan, outcome.Results, context);
        if (outcome.PerSeedMarkdown.Length > 0) context.Out.WriteLine(outcome.PerSeedMarkdown);
    }

    public static void Print(ExperimentPlan plan, IReadOnlyList<ExperimentResult> results, CliContext context)
    {
        context.Out.WriteLine();
        context.Out.Write(ExperimentFiles.Table(results));
        context.Out.Write(CurveComparison.Markdown(CurveComparison.Of(results)));
        var cut = results.Where(r => r.BudgetCut).Select(r => r.Name).ToList();
        context.Out.WriteLine(cut.Count == 0 ? "no model was cut by the time cap" : $"cut by the time cap (rerun to resume): {string.Join(", ", cut)}");
        var plots = string.Concat((plan.Plots ?? []).Select(p => $", plot: {Path.Combine(plan.Root, p.FileName)}"));
        context.Out.WriteLine($"report: {Path.Combine(plan.Root, ExperimentFiles.Report)}, results: {Path.Combine(plan.Root, ExperimentFiles.Results)}{plots}");
    }
}
