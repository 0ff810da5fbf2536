using AdaTapeDml.Core.Specs;
using FsCheck;
using FsCheck.Fluent;
using AdaTapeDml.Properties.Halting.Backends;

namespace AdaTapeDml.Properties.Halting;

/// <summary>With valid-only pooling, a sample's logits do not depend on how many padded tape slots it is computed with:
/// ENCODE over exactly its tape length equals ENCODE over all numTapeTokens slots with the rest masked, and equals padded
/// execution (Run). This is what makes elastic inference (each sample at its own length) exact.</summary>
[Collection(TorchGlobalGenerator.Name)]
public sealed class Halting_PaddingIndependence(ITestOutputHelper output)
{
    /// <summary>ENCODE of one sample at two tape lengths: the same batch shape, so only the masked slots differ.</summary>
    private const double Tolerance = 1e-5;

    [Theory, EveryInferenceBackend]
    public void Logits_at_the_exact_tape_length_equal_logits_over_all_slots_with_a_mask(string backend) =>
        PropertyCheck.ForAll(ModelInputs.Cases(), c =>
        {
            using var session = InferenceBackends.Named(backend).Open(c.Spec, c.Seed);
            var read = session.Read(c.Inputs, c.Count);
            var (padded, _) = session.Run(c.Inputs, c.Count);
            var classes = padded.Length / c.Count;
            var maxTape = c.NumTapeTokens;
            for (var b = 0; b < c.Count; b++)
            {
                var length = read.Lengths[b];
                var hidden = read.HiddenOf(b).ToArray();
                var exact = session.Encode(hidden, read.TapeOf(b, length).ToArray(), [length], length);
                var allSlots = session.Encode(hidden, read.TapeOf(b, maxTape).ToArray(), [length], maxTape);
                TraceAssert.Near(allSlots, exact, Tolerance, $"sample {b} (tape {length} of {maxTape}): exact vs all slots");
                TraceAssert.Near(padded.AsSpan(b * classes, classes).ToArray(), exact, Tolerances.OtherKernelPath, $"sample {b}: exact vs padded Run (batch of {c.Count})");
            }
        }, output);

    /// <summary>The control that shows the property above can fail: with the reference code's pooling (masked slots
    /// averaged too) the same comparison finds differences on a fixed sample of generated cases.</summary>
    [Theory, EveryInferenceBackend]
    public void With_the_reference_pooling_padding_does_change_the_logits(string backend)
    {
        var cases = ModelInputs.Cases().Generator.Sample(10, new Rnd(2023UL, 0x9E3779B97F4A7C15UL), 30)
            .Select(c => c with { Spec = c.Spec with { Model = (AdaTapeModelSpec)c.Spec.Model with { Tape = ((AdaTapeModelSpec)c.Spec.Model).Tape with { Pooling = TapePooling.Reference } } } });
        var differing = 0;
        foreach (var c in cases)
        {
            using var session = InferenceBackends.Named(backend).Open(c.Spec, c.Seed);
            var read = session.Read(c.Inputs, c.Count);
            for (var b = 0; b < c.Count; b++)
            {
                var length = read.Lengths[b];
                var hidden = read.HiddenOf(b).ToArray();
                var exact = session.Encode(hidden, read.TapeOf(b, length).ToArray(), [length], length);
                var allSlots = session.Encode(hidden, read.TapeOf(b, c.NumTapeTokens).ToArray(), [length], c.NumTapeTokens);
                if (exact.Zip(allSlots).Any(p => Math.Abs(p.First - p.Second) > 1e-4)) differing++;
            }
        }
        output.WriteLine($"{differing} samples of 30 generated cases change with padding under the reference pooling");
        Assert.True(differing > 0, "the reference pooling never depended on padding: the padding property would be vacuous");
    }
}
