namespace AdaTapeDml.Properties.Halting.Backends;

/// <summary>Tests that rely on what TorchSharp's process-wide random generator yields after a manual_seed run alone: xunit
/// runs other test classes in parallel, and any of them drawing from that generator in between changes the draws (the
/// training-mode determinism property failed that way before it joined this collection).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchGlobalGenerator
{
    public const string Name = "torch global random generator";
}
