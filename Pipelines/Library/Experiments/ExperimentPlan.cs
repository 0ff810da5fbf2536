namespace AdaTapeDml.Pipelines.Experiments;

/// <summary>What an experiment trains and measures: every entry with the same recipe and the same wall-clock cap.</summary>
/// <param name="Title">Report heading.</param>
/// <param name="Root">Output folder: one run folder per entry, results.json, report.md and the plots.</param>
/// <param name="Entries">The models, in report order.</param>
/// <param name="BudgetPerModel">Wall-clock safety cap of each model's training (this session's share).</param>
/// <param name="Notes">Report paragraphs after the table (what the numbers mean).</param>
/// <param name="Inference">Throughput measurement; null skips it.</param>
/// <param name="Knobs">Compute knobs swept at inference for the models they apply to.</param>
/// <param name="Plots">Plots drawn from the results (their files are linked from the report).</param>
/// <param name="SpecOptions">The options that shape a spec, as a refusal to resume names them (e.g. "the --steps and --seq-len").</param>
public sealed record ExperimentPlan(
    string Title,
    string Root,
    IReadOnlyList<ExperimentEntry> Entries,
    TimeSpan BudgetPerModel,
    IReadOnlyList<string> Notes,
    ThroughputOptions? Inference = null,
    IReadOnlyList<IComputeKnob>? Knobs = null,
    IReadOnlyList<ExperimentPlot>? Plots = null,
    string SpecOptions = "the options");

/// <summary>Inference throughput measured on each named backend, one after the other in the same process.</summary>
/// <param name="Backends">Backend names as <see cref="ExperimentBackend.Sessions"/> knows them.</param>
/// <param name="BatchSize">Samples per call. 64.</param>
/// <param name="Batches">Timed calls per backend (after one untimed warm-up call).</param>
public sealed record ThroughputOptions(IReadOnlyList<string> Backends, int BatchSize = 64, int Batches = 40);

/// <summary>A plot drawn from the results into Root/<paramref name="FileName"/>.</summary>
public sealed record ExperimentPlot(string FileName, string Caption, Action<ExperimentPlan, IReadOnlyList<ExperimentResult>, string> Write);
