namespace AdaTapeDml.Pipelines.Experiments;

/// <summary>One model's line in results.json.</summary>
/// <param name="Name">Model name (adatape, transformer, ut).</param>
/// <param name="SeqLen">Parity length.</param>
/// <param name="Params">Trainable parameters.</param>
/// <param name="Accuracy">Held-out accuracy (the whole evaluation set).</param>
/// <param name="EvalExamples">Size of the evaluation set.</param>
/// <param name="MeanTapeTokens">Mean tape length on the evaluation set (0 without a tape).</param>
/// <param name="StdTapeTokens">Its standard deviation (0 without a tape).</param>
/// <param name="FlopsPerSample">Forward FLOPs per sample from the Core cost model, at the mean tape length (UT: mean steps).</param>
/// <param name="TrainSeconds">Wall-clock training time (across resumed sessions).</param>
/// <param name="Steps">Optimizer steps done.</param>
/// <param name="BudgetExhausted">Training stopped because the time budget ran out.</param>
public sealed record ModelResult(string Name, int SeqLen, long Params, double Accuracy, int EvalExamples, double MeanTapeTokens, double StdTapeTokens,
    long FlopsPerSample, double TrainSeconds, int Steps, bool BudgetExhausted);
