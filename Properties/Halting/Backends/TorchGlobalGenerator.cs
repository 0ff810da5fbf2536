namespace AdaTapeDml.Properties.Halting.Backends;

/// <summary>Tests that seed TorchSharp's process-wide random generator and draw from it (model initialisation, training
/// noise) run alone: xunit runs other test classes in parallel, and a draw from another thread between a manual_seed and
/// its use changes the result (the training-mode determinism property failed that way before it joined this collection;
/// the random models of the logit-level properties would likewise disturb the exact resume test of TorchTrainer).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchGlobalGenerator
{
    public const string Name = "torch global random generator";
}
