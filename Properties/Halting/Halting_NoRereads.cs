using AdaTapeDml.Properties.Halting.Backends;

namespace AdaTapeDml.Properties.Halting;

/// <summary>A sample never merges a bank entry twice, and never one hidden from it by training-time bank masking
/// (bankMaskP), even when that entry scores best.</summary>
public sealed class Halting_NoRereads(ITestOutputHelper output)
{
    [Theory, EveryAtrBackend]
    public void No_bank_entry_is_read_twice_and_hidden_entries_are_never_read(string backend) =>
        HaltingProperty.ForEverySample(backend, output, (batch, b, trace) =>
        {
            var read = trace.Indices.SelectMany(step => step).ToArray();
            Assert.True(read.Length == read.Distinct().Count(), $"sample {b} read an entry twice: [{string.Join(",", read)}]");
            Assert.All(read, i => Assert.InRange(i, 0, batch.BankOf(b).Length - 1));
            if (batch.PerturbationOf(b) is { } p) Assert.All(read, i => Assert.False(p.Hidden[i], $"sample {b} read hidden entry {i}"));
        });
}
