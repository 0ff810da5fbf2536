using FsCheck;
using FsCheck.Fluent;

namespace AdaTapeDml.Properties.Parity;

/// <summary>What a model that has learnt parity must do, checked on generated sequences of length 8 rather than on the
/// held-out set: parity ignores how a non-+1 element is written, changes with every +1 removed, and does not change when
/// two +1 are added. A trained model is not exact, so each property must hold on at least 99% of the generated cases
/// (the rate is printed); a model that merely memorised its data or learnt a proxy falls below.</summary>
[Collection(TrainedParityModelCollection.Name)]
public sealed class TrainedParityModel_Metamorphic(TrainedParityModel model, ITestOutputHelper output)
{
    /// <summary>Generated cases per metamorphic property: 99% is then measured to within about 0.3%.</summary>
    public const int Cases = 2000;
    public const double MinimumRate = 0.99;

    /// <summary>A sequence with at least one element equal to <paramref name="value"/> (or any non-+1 when null), and
    /// the positions chosen for the change, from a fixed FsCheck seed so the rate is reproducible.</summary>
    private static (sbyte[] Sequence, int[] Positions)[] Generate(Func<sbyte, bool> eligible, int positions)
    {
        var gen =
            from sequence in ParityInputs.Sequence(TrainedParityModel.SeqLen).Where(s => s.Count(eligible) >= positions)
            let candidates = Enumerable.Range(0, sequence.Length).Where(i => eligible(sequence[i])).ToArray()
            from chosen in Gen.Shuffle(candidates)
            select (sequence, chosen[..positions]);
        return gen.Sample(10, new Rnd(20230710UL, 0x9E3779B97F4A7C15UL), Cases);
    }

    private double Rate((sbyte[] Sequence, int[] Positions)[] cases, Func<sbyte, sbyte> change, bool flips)
    {
        var changed = cases.Select(c =>
        {
            var s = (sbyte[])c.Sequence.Clone();
            foreach (var i in c.Positions) s[i] = change(s[i]);
            return s;
        }).ToArray();
        var before = model.Predict(cases.Select(c => c.Sequence).ToArray());
        var after = model.Predict(changed);
        return Enumerable.Range(0, cases.Length).Count(i => (before[i] != after[i]) == flips) / (double)cases.Length;
    }

    private void Report(string property, double rate)
    {
        output.WriteLine($"{property}: holds on {rate:P2} of {Cases} generated sequences (model: {model.HeldOutAccuracy:P2} held-out after {model.Steps} steps)");
        Assert.True(rate >= MinimumRate, $"{property} holds on only {rate:P2} of {Cases} cases (needs {MinimumRate:P0})");
    }

    [Fact]
    public void The_model_reaches_99_percent_held_out_accuracy()
    {
        output.WriteLine($"held-out accuracy {model.HeldOutAccuracy:P2} after {model.Steps} steps");
        Assert.True(model.HeldOutAccuracy >= TrainedParityModel.RequiredAccuracy, $"held-out accuracy {model.HeldOutAccuracy:P2} after {model.Steps} steps");
    }

    [Fact]
    public void Replacing_a_0_by_minus_1_or_back_never_changes_the_prediction() =>
        Report("0 <-> -1 keeps the prediction", Rate(Generate(x => x != 1, 1), x => (sbyte)(x == 0 ? -1 : 0), flips: false));

    [Fact]
    public void Turning_one_plus_1_into_0_or_minus_1_flips_the_prediction()
    {
        var cases = Generate(x => x == 1, 1);
        var toZero = Rate(cases, _ => 0, flips: true);
        var toMinusOne = Rate(cases, _ => -1, flips: true);
        Report("+1 -> 0 flips the prediction", toZero);
        Report("+1 -> -1 flips the prediction", toMinusOne);
    }

    [Fact]
    public void Turning_two_non_plus_1_elements_into_plus_1_keeps_the_prediction() =>
        Report("two non-+1 -> +1 keeps the prediction", Rate(Generate(x => x != 1, 2), _ => 1, flips: false));
}
