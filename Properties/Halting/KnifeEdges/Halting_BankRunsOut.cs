using AdaTapeDml.Properties.Halting.Backends;
using AdaTapeDml.Core.Numerics;
using static AdaTapeDml.Properties.Halting.Backends.ExactBanks;

namespace AdaTapeDml.Properties.Halting.KnifeEdges;

/// <summary>A bank with fewer entries than T and than k * S: every backend reads the same entries as the oracle, merges
/// what is left when fewer than k remain, and stops the sample when nothing is left (never re-reading an entry), also
/// beside a sample of the same batch that reads on. Readings are exact (<see cref="ExactBanks"/>).</summary>
public sealed class Halting_BankRunsOut
{
    /// <summary>Width 1 (every score ties), 6 entries, T = 8, m = 2, tau = 2 -> k = 4, S = 4 (k * S = 16). Step 1: [0..3],
    /// d = 1/2. Step 2: the 2 left, at most m merged so d = 1, h = 1.5 &lt; 2. Step 3: nothing left: stops, tape 4 of 8.</summary>
    [Theory, EveryAtrBackend]
    public void A_bank_smaller_than_the_tape_is_read_once_then_the_sample_stops(string backend) =>
        ReadsAsTheOracle(backend,
            Batch(Config(maxTape: 8, tau: 2.0, keyWidth: 1, tokensPerStep: 2), new([1f], [0.5f]), [[1f]], [[1f], [2f], [3f], [4f], [5f], [6f]]),
            [[0, 1, 2, 3], [4, 5]]);

    /// <summary>Width 2, dk = 1, gamma = 11 (levels score 121 q, 0, -121 q), 5 entries, T = 6, m = 1, tau = 2 -> k = 3, S = 6.
    /// Sample 0, bank (bottom, top, middle, top, bottom): step 1 takes the tied top rows and the middle one [1, 3, 2]
    /// (d = 1/2); step 2 the two bottom rows left, tied [0, 4] (d = 1/2, h = 1); then the bank is empty. Sample 1, bank
    /// (top, middle x 4): step 1 [0, 1, 2] (d = 1), step 2 the 2 left [3, 4] (d = 1/2, h = 1.5); empty. Sample 2, bank
    /// (middle x 5): all tie, [0, 1, 2] (d = fl(1/3)), [3, 4] (d = 1/2); empty.</summary>
    [Theory, EveryAtrBackend]
    public void Samples_of_one_batch_run_out_at_their_own_steps(string backend)
    {
        var query = Row(1, 2);
        ReadsAsTheOracle(backend,
            Batch(Config(maxTape: 6, tau: 2.0, keyWidth: 1), Scaled(2, 11f), [query, query, query],
                Bank(2, (1, -1), (1, 1), (1, 0), (1, 1), (1, -1)), Bank(2, (1, 1), (4, 0)), Bank(2, (5, 0))),
            [[1, 3, 2], [0, 4]], [[0, 1, 2], [3, 4]], [[0, 1, 2], [3, 4]]);
    }
}
