using System.Globalization;
using AdaTapeDml.Core.Atr;
using AdaTapeDml.Core.Numerics;
using AdaTapeDml.Core.Specs;
using FsCheck;
using FsCheck.Fluent;

namespace AdaTapeDml.Properties.Core;

/// <summary>One random but valid ATR input: width divisible by splitTt, dk = width / splitTt, T a multiple of m,
/// tau in (0, S] (so k = floor(T / tau) >= m), at most 24 candidates, and a bank of at least k entries.
/// tau is always a float value (so the loop's float threshold is tau itself).</summary>
public sealed record AtrCase(float[] Query, float[][] Bank, LayerNormParams Norm, AtrConfig Config, AtrPerturbation? Perturbation)
{
    public AtrSampleResult Read() => ReferenceAtr.Read(Query, Bank, Norm, Config, Perturbation);

    /// <summary>Entries the sample may read.</summary>
    public int Readable => Perturbation is null ? Bank.Length : Perturbation.Hidden.Count(h => !h);

    public override string ToString()
    {
        static string Show(IEnumerable<float> xs) => "[" + string.Join(", ", xs.Select(x => x.ToString("R", CultureInfo.InvariantCulture))) + "]";
        var hidden = Perturbation is null ? "none" : $"noise {Show(Perturbation.QueryNoise)}, hidden [{string.Join(",", Perturbation.Hidden.Select(h => h ? 1 : 0))}]";
        return $"{Config} k={Config.Candidates}\n  query {Show(Query)}\n  gamma {Show(Norm.Gamma)} beta {Show(Norm.Beta)}\n  perturbation {hidden}\n  bank\n"
            + string.Join("\n", Bank.Select(row => "    " + Show(row)));
    }
}

/// <summary>FsCheck arbitraries for <see cref="AtrCase"/>.</summary>
public static class AtrCases
{
    public static Arbitrary<AtrCase> Cases() => Arb.From(Generator);

    /// <summary>Never NaN or infinite: either small integers (many exact ties) or two-decimal values in [-10, 10].</summary>
    private static readonly Gen<float> Value = Gen.OneOf(
        Gen.Choose(-2, 2).Select(i => (float)i),
        Gen.Choose(-1000, 1000).Select(i => i / 100f));

    private static Gen<float[]> Row(int width) => Gen.ArrayOf(Value, width);

    private static readonly Gen<AtrCase> Generator =
        from splitTt in Gen.Elements(1, 2, 4)
        from dk in Gen.Choose(1, 4)
        let width = splitTt * dk
        from m in Gen.Choose(1, 3)
        from s in Gen.Choose(1, 5)
        let t = m * s
        from tau in Tau(t, s)
        let config = new AtrConfig(t, m, tau, ActLossType.Entropy, true, dk)
        let k = config.Candidates
        from lossType in Gen.Elements(ActLossType.Entropy, ActLossType.Max)
        from complexQuery in Gen.Elements(true, false)
        from bankSize in Gen.Choose(k, s * k + 3)
        from bank in Gen.ArrayOf(Row(width), bankSize)
        from query in Row(width)
        from norm in Norm(width)
        from perturbation in Perturbation(width, bankSize)
        select new AtrCase(query, bank, norm, config with { LossType = lossType, ComplexQuery = complexQuery }, perturbation);

    /// <summary>tau in [max(T / 24, 0.05), S], rounded to a float: an integer half of the time, a fraction otherwise.</summary>
    private static Gen<double> Tau(int t, int s)
    {
        var low = Math.Max(t / 24.0, 0.05);
        return Gen.OneOf(
            Gen.Choose(Math.Max(1, (int)Math.Ceiling(low)), s).Select(i => (double)i),
            Gen.Choose(0, 1000).Select(i => (double)(float)(low + (s - low) * i / 1000.0)));
    }

    /// <summary>The identity norm half the time, random positive or negative scales and shifts otherwise.</summary>
    private static Gen<LayerNormParams> Norm(int width) => Gen.OneOf(
        Gen.Constant(LayerNormParams.Identity(width)),
        from gamma in Gen.ArrayOf(Gen.Choose(-200, 200).Select(i => i / 100f), width)
        from beta in Gen.ArrayOf(Gen.Choose(-100, 100).Select(i => i / 100f), width)
        select new LayerNormParams(gamma, beta));

    private static Gen<AtrPerturbation?> Perturbation(int width, int bankSize) => Gen.OneOf(
        Gen.Constant<AtrPerturbation?>(null),
        from seed in Gen.Choose(0, int.MaxValue)
        from noise in Gen.Elements(0.0, 0.5, 2.0)
        from maskP in Gen.Elements(0.0, 0.2, 0.6)
        select (AtrPerturbation?)AtrPerturbation.Draw(seed, width, bankSize, noise, maskP));
}
