namespace AdaTapeDml.Properties;

/// <summary>Tests that draw from TorchSharp's global random generator while other test classes run in parallel shift each
/// other's random streams, so a test that replays a seeded run byte for byte (TorchTrainer_Checkpoints: resumed run ==
/// uninterrupted run) failed at random (3 of 5 full runs). Tests in this collection run by themselves, after the parallel
/// phase: the replaying tests, and the ONNX tests that build seeded TorchSharp models.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchRngCollection
{
    public const string Name = "torch global RNG";
}
