using System.Globalization;
using AdaTapeDml.Core.Atr;
using AdaTapeDml.Core.Numerics;

namespace AdaTapeDml.Properties.Generators;

/// <summary>Training-time randomness of a batch: each sample's perturbation is drawn from its own seed, so a sample
/// keeps its noise and mask wherever it sits in a batch.</summary>
/// <param name="Seeds">One seed per sample.</param>
/// <param name="QueryNoise">Std of the query noise.</param>
/// <param name="BankMaskP">Probability that a bank entry is hidden from a sample.</param>
public sealed record AtrTraining(int[] Seeds, double QueryNoise, double BankMaskP);

/// <summary>One batched ATR input: B queries, one bank shared by the batch (a learnable bank) or one per sample
/// (an input-driven bank), the shared LayerNorm, the knobs, and training randomness (null = evaluation).</summary>
public sealed record AtrBatch(AtrConfig Config, LayerNormParams Norm, float[][] Queries, float[][][] Banks, bool SharedBank, AtrTraining? Training)
{
    public int Count => Queries.Length;
    public int Width => Norm.Gamma.Length;

    public float[][] BankOf(int b) => SharedBank ? Banks[0] : Banks[b];

    /// <summary>Sample <paramref name="b"/>'s bank after the shared LayerNorm, as the oracle computes it.</summary>
    public NormalizedBank NormalizedBankOf(int b) => NormalizedBank.From(BankOf(b), Norm);

    /// <summary>The sample's perturbation, drawn from its seed; null in evaluation.</summary>
    public AtrPerturbation? PerturbationOf(int b) => Training is null
        ? null
        : AtrPerturbation.Draw(Training.Seeds[b], Width, BankOf(b).Length, Training.QueryNoise, Training.BankMaskP);

    /// <summary>Entries sample <paramref name="b"/> may read.</summary>
    public int ReadableOf(int b) => PerturbationOf(b) is { } p ? p.Hidden.Count(h => !h) : BankOf(b).Length;

    /// <summary>The batch of rows <paramref name="rows"/> (a sub-batch, a permutation, or both), each sample keeping its bank and seed.</summary>
    public AtrBatch Rows(IReadOnlyList<int> rows) => this with
    {
        Queries = rows.Select(r => Queries[r]).ToArray(),
        Banks = SharedBank ? Banks : rows.Select(r => Banks[r]).ToArray(),
        Training = Training is null ? null : Training with { Seeds = rows.Select(r => Training.Seeds[r]).ToArray() },
    };

    public override string ToString()
    {
        static string Show(IEnumerable<float> xs) => "[" + string.Join(", ", xs.Select(x => x.ToString("R", CultureInfo.InvariantCulture))) + "]";
        var training = Training is null ? "eval" : $"train seeds [{string.Join(",", Training.Seeds)}] noise {Training.QueryNoise} maskP {Training.BankMaskP}";
        var banks = Banks.Select((bank, i) => $"  bank {(SharedBank ? "shared" : i.ToString(CultureInfo.InvariantCulture))}\n"
            + string.Join("\n", bank.Select(row => "    " + Show(row))));
        return $"{Config} k={Config.Candidates} {training}\n  gamma {Show(Norm.Gamma)} beta {Show(Norm.Beta)}\n"
            + string.Join("\n", Queries.Select((q, i) => $"  query {i} {Show(q)}")) + "\n" + string.Join("\n", banks);
    }
}
