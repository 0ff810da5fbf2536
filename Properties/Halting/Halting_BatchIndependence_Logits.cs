using AdaTapeDml.Core.Specs;
using AdaTapeDml.Properties.Halting.Backends;
using FsCheck;

namespace AdaTapeDml.Properties.Halting;

/// <summary>Through a whole model: a sample's tape length, tape tokens and logits are the same alone, inside any batch and
/// after any permutation of the batch (duplicate rows included). A sample whose runs read differently only at a float
/// knife edge (<see cref="TraceKnifeEdges"/>) is counted and left out, within the <see cref="KnifeEdgeTally"/> bound.</summary>
[Collection(TorchGlobalGenerator.Name)]
public sealed class Halting_BatchIndependence_Logits(ITestOutputHelper output)
{
    private const double Tolerance = Tolerances.OtherKernelPath;

    public static Arbitrary<(ModelCase Value, int[] Permutation)> PermutedCases() => Permuted.Of(ModelInputs.Cases(), c => c.Count);

    [Theory, EveryInferenceBackend]
    public void A_sample_gets_the_same_tape_and_logits_alone_in_its_batch_and_after_any_permutation(string backend)
    {
        var tally = new KnifeEdgeTally();
        PropertyCheck.ForAll(PermutedCases(), p => Check(backend, p, tally), output);
        tally.Check(output, $"{backend}: batch independence of tapes and logits");
    }

    /// <summary>Found by ADATAPE_PROPERTY_SEED=random: a 12-slot tape (m = 3) over a one-pixel image bank, where two bank
    /// entries score within rounding of each other; ONNX Runtime ranked them one way in the batch of 2 and the other way
    /// alone, so tape slots 9 and 10 (fed by ranks r and r + 1 mod 3) differed by 1.4e-4. A rank swap of near-tied
    /// candidates is a knife edge, not a batch dependence; this case must be counted as one, not fail.</summary>
    [Theory, EveryInferenceBackend]
    public void Near_tied_candidates_that_swap_ranks_between_runs_are_a_counted_knife_edge(string backend)
    {
        var tally = new KnifeEdgeTally();
        PropertyCheck.ForAll(PermutedCases(), p => Check(backend, p, tally), output, cases: 1, replay: "(8459111865604093221,15862880000094059163,93)");
        // One case of a 784-entry bank with 5 pixel levels holds many near ties (ONNX Runtime: 5 of its 29 samples), so the
        // generated-sample bound does not apply to it; the rest must still compare equal.
        output.WriteLine($"{backend}: the pinned case: {tally.Compared} compared, {tally.LeftOut} knife edges left out");
        Assert.True(tally.Compared > tally.LeftOut, $"{backend}: the pinned case compared only {tally.Compared} of {tally.Compared + tally.LeftOut} samples");
    }

    private static void Check(string backend, (ModelCase Value, int[] Permutation) p, KnifeEdgeTally tally)
    {
        var (c, permutation) = p;
        var tape = ((AdaTapeModelSpec)c.Spec.Model).Tape;
        using var session = InferenceBackends.Named(backend).Open(c.Spec, c.Seed, traceReads: true);
        var (logits, lengths) = session.Run(c.Inputs, c.Count);
        var read = session.Read(c.Inputs, c.Count);
        var (permutedLogits, permutedLengths) = session.Run(c.InputsOf(permutation), c.Count);
        var permutedRead = session.Read(c.InputsOf(permutation), c.Count);
        var classes = logits.Length / c.Count;
        float[] Row(float[] all, int b) => all.AsSpan(b * classes, classes).ToArray();

        for (var i = 0; i < c.Count; i++)
        {
            var b = permutation[i];                                                   // sample b moved to row i
            var (aloneLogits, aloneLengths) = session.Run(c.InputsOf([b]), 1);
            var aloneRead = session.Read(c.InputsOf([b]), 1);
            var knifeEdge = TraceKnifeEdges.DifferAtKnifeEdge(read.Trace![b], permutedRead.Trace![i], tape)
                || TraceKnifeEdges.DifferAtKnifeEdge(read.Trace![b], aloneRead.Trace![0], tape);
            if (!tally.Compares(knifeEdge)) continue;

            Assert.Equal(lengths[b], permutedLengths[i]);
            TraceAssert.Near(Row(logits, b), Row(permutedLogits, i), Tolerance, $"sample {b} moved to row {i}");
            Assert.Equal(lengths[b], aloneLengths[0]);
            Assert.Equal(read.Lengths[b], aloneRead.Lengths[0]);
            TraceAssert.Near(Row(logits, b), aloneLogits, Tolerance, $"sample {b} alone: logits");
            TraceAssert.Near(read.TapeOf(b, lengths[b]).ToArray(), aloneRead.TapeOf(0, lengths[b]).ToArray(), Tolerance, $"sample {b} alone: tape");
        }
    }
}
