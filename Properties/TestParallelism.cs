// Test classes run one at a time. TorchSharp has one process-wide random generator, and most backend tests seed it and
// then draw from it (model initialisation, training noise, dropout); a draw from a parallel test class in between changes
// the result, which broke the exact resume-equals-uninterrupted check under parallel runs. Serial costs ~2x wall time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
