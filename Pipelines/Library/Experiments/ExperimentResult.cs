namespace AdaTapeDml.Pipelines.Experiments;

/// <summary>One model's entry in results.json (and its run folder's result.json).</summary>
/// <param name="Name">Entry name, per paper (e.g. "vit").</param>
/// <param name="Kind">Model kind from the one vocabulary (e.g. "transformer"; see Core's ModelKinds).</param>
/// <param name="Task">The task as its spec names it (e.g. "parity16", "fashionMnist").</param>
/// <param name="Params">Trainable parameters.</param>
/// <param name="Accuracy">Held-out accuracy over the whole held-out set.</param>
/// <param name="EvalExamples">Size of that set.</param>
/// <param name="FlopsMean">Mean forward FLOPs per sample (Core cost model, at each sample's own adaptive statistic).</param>
/// <param name="FlopsStd">Their standard deviation.</param>
/// <param name="Adaptive">What the model adapts (tapeTokens, utSteps) and its mean and std; null for fixed models.</param>
/// <param name="Throughput">Inference images (samples) per second, per backend; empty when not measured.</param>
/// <param name="TrainSeconds">Wall-clock training time across resumed sessions.</param>
/// <param name="Steps">Optimizer steps done.</param>
/// <param name="TargetSteps">Optimizer steps the recipe asks for.</param>
/// <param name="ExamplesSeen">Training examples seen (steps x batch).</param>
/// <param name="Epochs">Passes over the training set; null for a generated stream.</param>
/// <param name="BudgetCut">Training stopped at the wall-clock cap before <paramref name="TargetSteps"/>.</param>
/// <param name="Sweep">Accuracy/FLOPs points of the compute knob (adaptive models); empty otherwise.</param>
/// <param name="Seeds">The seeds a mean over seeds was taken over; null for one seed's result.</param>
/// <param name="SeedAccuracies">Each seed's held-out accuracy, in <paramref name="Seeds"/> order; null for one seed's result.</param>
/// <param name="AccuracyStd">Sample standard deviation of <paramref name="SeedAccuracies"/>; null for one seed's result.</param>
public sealed record ExperimentResult(
    string Name, string Kind, string Task, long Params, double Accuracy, int EvalExamples,
    double FlopsMean, double FlopsStd, Core.Cost.AdaptiveStatistic? Adaptive, IReadOnlyList<ThroughputResult> Throughput,
    double TrainSeconds, int Steps, int TargetSteps, long ExamplesSeen, double? Epochs, bool BudgetCut, IReadOnlyList<SweepPoint> Sweep,
    IReadOnlyList<int>? Seeds = null, IReadOnlyList<double>? SeedAccuracies = null, double? AccuracyStd = null)
{
    [System.Text.Json.Serialization.JsonIgnore] public bool Finished => Steps >= TargetSteps;
}

/// <summary>Measured inference rate of one backend at one batch size.</summary>
public sealed record ThroughputResult(string Backend, int BatchSize, double ImagesPerSecond);

/// <summary>One point of a compute-knob curve.</summary>
/// <param name="Knob">Knob name (e.g. actEpsilon).</param>
/// <param name="Value">Its value.</param>
/// <param name="Flops">Mean forward FLOPs per sample at that value.</param>
/// <param name="Accuracy">Held-out accuracy at that value.</param>
/// <param name="Adaptive">The adaptive statistic at that value.</param>
/// <param name="AccuracyStd">Over seeds: the sample standard deviation of the seeds' accuracies at that value; null for one seed.</param>
public sealed record SweepPoint(string Knob, double Value, double Flops, double Accuracy, Core.Cost.AdaptiveStatistic? Adaptive, double? AccuracyStd = null);
