using AdaTapeDml.Core.Atr;
using static AdaTapeDml.Properties.Core.AtrTestBank;

namespace AdaTapeDml.Properties.Core;

/// <summary>Training-time randomness of ATR: hidden bank entries and query noise (<see cref="AtrPerturbation"/>).</summary>
public sealed class ReferenceAtr_Perturbation
{
    private static AtrPerturbation NoNoise(params bool[] hidden) => new(new float[Width], hidden);

    [Fact]
    public void Hidden_entries_are_never_read_even_when_they_score_best()
    {
        // r1 (score 2) is hidden. Step 1: r0 and r3 tie at 0 -> [r0, r3], w = softmax(0, 0) = [0.5, 0.5];
        // merged = 0.5 V0 + 0.5 V3 = 0, so q = (q + 0) / 2 = (sqrt 2 / 2, 0).
        // Step 2: r4 scores -sqrt 2 / 2 · 1 = -0.7071, r2 scores -1: logits [-0.5, -0.7071] -> w = [0.5515923, 0.4484077].
        // Step 3: only the hidden r1 is left -> the bank is exhausted; h = 0.5 + 0.5515923.
        var r = ReferenceAtr.Read(Query(), Bank(), Norm, Config(), NoNoise(false, true, false, false, false));

        Assert.Equal([[0, 3], [4, 2]], r.Steps.Select(s => s.Indices));
        Assert.DoesNotContain(r.Steps, s => s.Indices.Contains(1));
        Assert.Equal([0.5f, 0.5f], r.Steps[0].Weights);
        Near([0.5515923, 0.4484077], r.Steps[1].Weights, "step 2 weights");
        Near(1.0515923, r.HaltingSum, "h");
        Assert.Equal(AtrStopReason.BankExhausted, r.StopReason);
    }

    [Fact]
    public void A_fully_hidden_bank_reads_nothing()
    {
        var r = ReferenceAtr.Read(Query(), Bank(), Norm, Config(), NoNoise(true, true, true, true, true));

        Assert.Equal(0, r.StepCount);
        Assert.Equal(0, r.TapeLength);
        Assert.Equal(0f, r.HaltingSum);
        Assert.Equal(AtrStopReason.BankExhausted, r.StopReason);
    }

    [Fact]
    public void Query_noise_is_added_before_the_layer_norm()
    {
        // q + noise = [0, 2, 0, -2]: direction (0, 1), so r0 (score 2) leads, then r4 (key (-1, 1): score sqrt 2).
        var perturbed = ReferenceAtr.Read(Query(), Bank(), Norm, Config(), new AtrPerturbation([-2, 2, 2, -2], new bool[5]));
        var clean = ReferenceAtr.Read(Query(), Bank(), Norm, Config());

        Assert.Equal([0, 4], perturbed.Steps[0].Indices);
        Assert.Equal([1, 0], clean.Steps[0].Indices);
    }

    [Fact]
    public void Reading_with_drawn_noise_equals_reading_the_noisy_query()
    {
        var p = AtrPerturbation.Draw(seed: 11, Width, bankSize: 5, queryNoise: 0.7, bankMaskP: 0);
        var noisy = Query().Select((v, i) => v + p.QueryNoise[i]).ToArray();

        var a = ReferenceAtr.Read(Query(), Bank(), Norm, Config(), p);
        var b = ReferenceAtr.Read(noisy, Bank(), Norm, Config());

        Assert.Equal(b.Steps.Select(s => s.Indices), a.Steps.Select(s => s.Indices));
        Assert.Equal(b.Steps.Select(s => s.Weights), a.Steps.Select(s => s.Weights));
        Assert.Equal(b.HaltingSum, a.HaltingSum);
    }

    [Fact]
    public void Same_seed_draws_the_same_perturbation_and_a_different_seed_a_different_one()
    {
        var a = AtrPerturbation.Draw(7, width: 16, bankSize: 64, queryNoise: 0.5, bankMaskP: 0.3);
        var b = AtrPerturbation.Draw(7, width: 16, bankSize: 64, queryNoise: 0.5, bankMaskP: 0.3);
        var c = AtrPerturbation.Draw(8, width: 16, bankSize: 64, queryNoise: 0.5, bankMaskP: 0.3);

        Assert.Equal(a.QueryNoise, b.QueryNoise);
        Assert.Equal(a.Hidden, b.Hidden);
        Assert.NotEqual(a.QueryNoise, c.QueryNoise);
        Assert.NotEqual(a.Hidden, c.Hidden);
    }

    [Fact]
    public void Same_seed_reads_the_same_tape_and_a_different_seed_a_different_one()
    {
        AtrSampleResult ReadWith(int seed) =>
            ReferenceAtr.Read(Query(), Bank(), Norm, Config(), AtrPerturbation.Draw(seed, Width, 5, queryNoise: 0.5, bankMaskP: 0));

        var (a, b, c) = (ReadWith(1), ReadWith(1), ReadWith(2));

        Assert.Equal(a.Steps.SelectMany(s => s.Weights), b.Steps.SelectMany(s => s.Weights));
        Assert.NotEqual(a.Steps.SelectMany(s => s.Weights), c.Steps.SelectMany(s => s.Weights));
    }

    [Fact]
    public void Zero_rates_draw_no_noise_and_hide_nothing()
    {
        var p = AtrPerturbation.Draw(3, width: 8, bankSize: 20, queryNoise: 0, bankMaskP: 0);

        Assert.All(p.QueryNoise, v => Assert.Equal(0f, v));
        Assert.All(p.Hidden, Assert.False);
    }

    [Fact]
    public void Noise_has_the_requested_scale_and_masking_the_requested_rate()
    {
        var p = AtrPerturbation.Draw(5, width: 20_000, bankSize: 20_000, queryNoise: 0.5, bankMaskP: 0.25);

        var mean = p.QueryNoise.Average(v => (double)v);
        var std = Math.Sqrt(p.QueryNoise.Average(v => (v - mean) * (v - mean)));
        var hiddenRate = p.Hidden.Count(h => h) / 20_000.0;

        Assert.InRange(mean, -0.02, 0.02);       // standard error 0.5 / sqrt(20000) = 0.0035
        Assert.InRange(std, 0.48, 0.52);
        Assert.InRange(hiddenRate, 0.235, 0.265); // standard error sqrt(0.25 · 0.75 / 20000) = 0.003
    }
}
