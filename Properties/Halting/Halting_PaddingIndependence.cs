using AdaTapeDml.Properties.Generators;
using AdaTapeDml.Properties.Halting.Backends;
using Xunit.Abstractions;

namespace AdaTapeDml.Properties.Halting;

/// <summary>With valid-only pooling, a sample's logits do not depend on how many padded tape slots it is computed with:
/// ENCODE over exactly its tape length equals ENCODE over all numTapeTokens slots with the rest masked, and equals padded
/// execution (Run). This is what makes elastic inference (each sample at its own length) exact.</summary>
public sealed class Halting_PaddingIndependence(ITestOutputHelper output)
{
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
                TraceAssert.Near(padded.AsSpan(b * classes, classes).ToArray(), exact, Tolerance, $"sample {b}: exact vs padded Run");
            }
        }, output);
}
