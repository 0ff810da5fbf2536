using System.Text.Json;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Pipelines.Experiments;
using AdaTapeDml.Properties.Backends;
using AdaTapeDml.Properties.TestHost;

namespace AdaTapeDml.Properties.Experiments;

/// <summary>The experiment runner on tiny parity models: a model cut by the cap is resumed from its checkpoint on the next
/// run, a finished one is reused without training, and results.json / report.md say which was which.</summary>
public sealed class ExperimentRunner_Resume() : TinyExperiment("adatape-runner-")
{
    /// <param name="budget">Each model's cap: zero stops every model before its first step (a deterministic "cut").</param>
    private ExperimentPlan Plan(TimeSpan budget) => new("tiny", dir,
        [
            new ExperimentEntry("adatape", TinySpecs.AdaTapeParity(steps: 4) with { Name = "a" }),
            new ExperimentEntry("vit", TinySpecs.Of(new TransformerModelSpec(TinySpecs.Encoder), steps: 4) with { Name = "t" }),
        ],
        budget, ["a note"], new ThroughputOptions(["torch"], BatchSize: 8, Batches: 2), [new TapeKnob(ComputeKnob.ActEpsilonHoldK, [1.0, 2.0])]);

    [Fact]
    public void A_cut_model_is_resumed_and_a_finished_one_reused()
    {
        using var threads = TorchThreads.Pin(1);

        var cut = ExperimentRunner.Run(Plan(TimeSpan.Zero), Backend());
        Assert.All(cut, r => Assert.Equal((0, true), (r.Steps, r.BudgetCut)));
        Assert.Contains("Cut by the wall-clock cap", File.ReadAllText(Path.Combine(dir, "report.md")));
        Assert.Equal([("a", null), ("t", null)], trainersMade);

        var resumed = ExperimentRunner.Run(Plan(TimeSpan.FromHours(1)), Backend());
        Assert.All(resumed, r => Assert.Equal((4, 4, false), (r.Steps, r.TargetSteps, r.BudgetCut)));
        Assert.Equal(["a", "t"], trainersMade.Skip(2).Select(t => t.Spec));
        Assert.All(trainersMade.Skip(2), t => Assert.EndsWith("checkpoint.safetensors", t.ResumeFrom));
        Assert.Equal(1 + 4, File.ReadAllLines(Path.Combine(dir, "adatape", "metrics.csv")).Length);   // header + 4 steps: none repeated
        Assert.Contains("No model was cut", File.ReadAllText(Path.Combine(dir, "report.md")));

        var reused = ExperimentRunner.Run(Plan(TimeSpan.FromHours(1)), Backend());
        Assert.Equal(4, trainersMade.Count);                                                          // nothing trained again
        Assert.Equal(resumed, reused, ResultComparer.Instance);
    }

    [Fact]
    public void Results_json_has_every_field_per_model()
    {
        using var threads = TorchThreads.Pin(1);
        ExperimentRunner.Run(Plan(TimeSpan.FromHours(1)), Backend());

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "results.json")));
        var models = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(["adatape", "vit"], models.Select(m => m.GetProperty("name").GetString()));
        Assert.Equal(["adatape", "transformer"], models.Select(m => m.GetProperty("kind").GetString()));
        foreach (var m in models)
        {
            foreach (var field in new[] { "params", "accuracy", "evalExamples", "flopsMean", "flopsStd", "trainSeconds", "steps", "targetSteps", "examplesSeen", "budgetCut" })
                Assert.True(m.TryGetProperty(field, out _), $"{field} missing");
            Assert.Equal(50, m.GetProperty("evalExamples").GetInt32());
            Assert.Equal(4 * 16, m.GetProperty("examplesSeen").GetInt64());
            Assert.Equal(JsonValueKind.Null, m.GetProperty("epochs").ValueKind);                        // parity is a stream: no epochs
            Assert.Equal("torch", m.GetProperty("throughput")[0].GetProperty("backend").GetString());
            Assert.True(m.GetProperty("throughput")[0].GetProperty("imagesPerSecond").GetDouble() > 0);
        }
        var adaTape = models[0];
        Assert.Equal("tapeTokens", adaTape.GetProperty("adaptive").GetProperty("name").GetString());
        Assert.Equal([1.0, 2.0], adaTape.GetProperty("sweep").EnumerateArray().Select(p => p.GetProperty("value").GetDouble()));
        Assert.All(adaTape.GetProperty("sweep").EnumerateArray(), p => Assert.Equal("act-epsilon-hold-k", p.GetProperty("knob").GetString()));
        Assert.Equal(JsonValueKind.Null, models[1].GetProperty("adaptive").ValueKind);
        Assert.Empty(models[1].GetProperty("sweep").EnumerateArray());
    }

    /// <summary>Results equal field by field (lists by content).</summary>
    private sealed class ResultComparer : IEqualityComparer<ExperimentResult>
    {
        public static readonly ResultComparer Instance = new();
        public bool Equals(ExperimentResult? x, ExperimentResult? y) => x is not null && y is not null &&
            x with { Throughput = [], Sweep = [] } == y with { Throughput = [], Sweep = [] } &&
            x.Throughput.SequenceEqual(y.Throughput) && x.Sweep.SequenceEqual(y.Sweep);
        public int GetHashCode(ExperimentResult obj) => obj.Name.GetHashCode();
    }
}
