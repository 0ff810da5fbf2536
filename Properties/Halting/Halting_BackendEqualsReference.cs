using AdaTapeDml.Core.Atr;
using AdaTapeDml.Core.Numerics;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Properties.Halting.Backends;

namespace AdaTapeDml.Properties.Halting;

/// <summary>Every backend reads the tape the Core oracle reads: the same entries at every step, and weights, tape tokens,
/// halting sum and loss within the backend's tolerance (1e-5 TorchSharp, 1e-4 ONNX Runtime). Which of two identical bank
/// rows is taken first cannot be seen in the tape, so indices are compared canonically (<see cref="AtrTrace.Canonical"/>).
/// Knife-edge samples are left out (<see cref="AtrInputs.IsKnifeEdge"/>): two candidates of different normalised rows
/// within 1e-5 (relative), or a halting sum within 1e-6 of tau; the oracle rounds to float at other points than a
/// backend, so such a sample may go either way (this property found both kinds). <see cref="KnifeEdgeTally"/> prints how
/// many were left out and fails above 10%; hand-built knife edges are checked exactly in Halting_ExactTies,
/// Halting_NarrowWidths, Halting_NonFloatThresholds and Halting_BankRunsOut.</summary>
public sealed class Halting_BackendEqualsReference(ITestOutputHelper output)
{
    [Theory, EveryAtrBackend]
    public void Backend_reads_what_the_reference_reads_within_its_tolerance(string backend)
    {
        var tally = new KnifeEdgeTally();
        var atr = HaltingBackends.Named(backend);
        PropertyCheck.ForAll(HaltingBackends.BatchesFor(backend), batch => TraceAssert.ReadsAsTheReference(atr, batch, tally, ""), output);
        tally.Check(output, $"{backend} vs reference");
    }

    /// <summary>Regression for a bug this property found: the TorchSharp ATR normalised the bank in float32, so a nearly
    /// constant row ([6.41, 6.47]: spread 0.03 on a mean of 6.44) came out 1.2e-5 away from the oracle's double LayerNorm,
    /// beyond the 1e-5 the backends promise. TorchAtr now normalises query and bank in double. (It was pinned by a replay
    /// seed; the generator's width mix has changed since, so the row is now built by hand.) k = 1: each step copies one
    /// normalised row to the tape, so the tokens are the normalised rows themselves.</summary>
    [Theory, EveryAtrBackend]
    public void Regression_a_nearly_constant_bank_row_is_normalised_as_the_reference_does(string backend)
    {
        var batch = new AtrBatch(new AtrConfig(2, 1, 2.0, ActLossType.Entropy, ComplexQuery: true, KeyWidth: 2), LayerNormParams.Identity(2),
            [[1f, 2f]], [[[6.41f, 6.47f], [6.47f, 6.41f]]], SharedBank: false, Training: null);
        var atr = HaltingBackends.Named(backend);
        TraceAssert.Equal(new ReferenceAtrImplementation().Read(batch)[0], atr.Read(batch)[0], atr.Tolerance, "nearly constant row");
    }
}
