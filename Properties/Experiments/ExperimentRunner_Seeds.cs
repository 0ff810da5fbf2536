using System.Text.Json;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Pipelines.Experiments;
using AdaTapeDml.Properties.Backends;
using AdaTapeDml.Properties.TestHost;

namespace AdaTapeDml.Properties.Experiments;

/// <summary>A seeded experiment on tiny parity models: several seeds each train in Root/seed-S and the root folder reports
/// their means; a rerun reuses every seed's finished models; one seed is the plain experiment in the root folder.</summary>
public sealed class ExperimentRunner_Seeds() : TinyExperiment("adatape-seeds-")
{
    private static ExperimentPlan PlanAt(int seed, string folder)
    {
        RunSpec Seeded(RunSpec spec) => spec with { Training = spec.Training with { Seed = seed } };
        return new ExperimentPlan("tiny", folder,
            [
                new ExperimentEntry("adatape", Seeded(TinySpecs.AdaTapeParity(steps: 4) with { Name = "a" })),
                new ExperimentEntry("ut", Seeded(TinySpecs.Of(new UniversalTransformerModelSpec(TinySpecs.Encoder with { Depth = 1 }, new ActHaltingSpec(MaxSteps: 3)), steps: 4) with { Name = "u" })),
            ],
            TimeSpan.FromHours(1), ["a note"], null,
            [new TapeKnob(ComputeKnob.ActEpsilonHoldK, [1.0, 2.0]), HaltingKnob.UtThreshold([0.5, 0.99])]);
    }

    [Fact]
    public void Several_seeds_train_in_their_own_folders_and_the_root_reports_their_means()
    {
        using var threads = TorchThreads.Pin(1);

        var outcome = SeededExperiment.Run([3, 5], PlanAt, dir, [], Backend());

        Assert.Equal(4, trainersMade.Count);                                                           // 2 models x 2 seeds
        Assert.Equal([Path.Combine(dir, "seed-3"), Path.Combine(dir, "seed-5")], outcome.PerSeed.Select(s => s.Plan.Root));
        Assert.All(outcome.PerSeed, s => Assert.True(File.Exists(Path.Combine(s.Plan.Root, "results.json"))));
        Assert.NotEqual(File.ReadAllBytes(Path.Combine(dir, "seed-3", "adatape", "model.safetensors")),
            File.ReadAllBytes(Path.Combine(dir, "seed-5", "adatape", "model.safetensors")));         // the seed reached training
        for (var i = 0; i < 2; i++)
        {
            var perSeed = outcome.PerSeed.Select(s => s.Results[i]).ToList();
            Assert.Equal(perSeed.Average(r => r.Accuracy), outcome.Results[i].Accuracy, 12);
            Assert.Equal(perSeed.Select(r => r.Accuracy), outcome.Results[i].SeedAccuracies!);
            Assert.Equal(perSeed.Average(r => r.Sweep[0].Flops), outcome.Results[i].Sweep[0].Flops, 6);
        }

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "results.json")));
        Assert.All(json.RootElement.EnumerateArray(), m => Assert.Equal([3, 5], m.GetProperty("seeds").EnumerateArray().Select(s => s.GetInt32())));
        var report = File.ReadAllText(Path.Combine(dir, "report.md"));
        Assert.Contains("mean over seeds 3, 5", report);
        Assert.Contains("| seed 3 | seed 5 | mean ± std |", report);
        Assert.Contains("Seed 5, AdaTape's best curve against ut", report);

        var again = SeededExperiment.Run([3, 5], PlanAt, dir, [], Backend());
        Assert.Equal(4, trainersMade.Count);                                                           // every seed's models reused
        Assert.Equal(outcome.Results.Select(r => r.Accuracy), again.Results.Select(r => r.Accuracy));
    }

    [Fact]
    public void One_seed_is_the_plain_experiment_in_the_root_folder()
    {
        using var threads = TorchThreads.Pin(1);

        var outcome = SeededExperiment.Run([3], PlanAt, dir, [], Backend());

        Assert.Equal(dir, Assert.Single(outcome.PerSeed).Plan.Root);
        Assert.False(Directory.Exists(Path.Combine(dir, "seed-3")));
        Assert.True(File.Exists(Path.Combine(dir, "adatape", "result.json")));
        Assert.All(outcome.Results, r => Assert.Null(r.Seeds));
        Assert.Empty(outcome.PerSeedMarkdown);
    }
}
