using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;

namespace AdaTapeDml.Properties.Generators;

/// <summary>Runs an FsCheck property from an xunit test (so one property can run once per backend via [MemberData]).
/// A failure throws with FsCheck's report: the shrunk counterexample and the replay seed "(seed,gamma)". On success it
/// writes how many cases ran, how long they took and the seed to the test output.
///
/// Seeds: `dotnet test` draws each property's cases from a seed fixed by the property's name, so a run is reproducible
/// and CI cannot turn red on cases nobody changed (float backends have knife-edge inputs, e.g. a weight that rounds to 1
/// in one kernel and not in another, that a fresh random seed finds now and then). To explore new cases set
/// ADATAPE_PROPERTY_SEED=random (fresh seeds every run) or to a number; pin what exploration finds as a regression.</summary>
public static class PropertyCheck
{
    /// <summary>Generated cases per property unless a property states otherwise.</summary>
    public const int Cases = 100;

    /// <summary>Environment variable that picks the seeds: unset = fixed per property, "random", or a number.</summary>
    public const string SeedVariable = "ADATAPE_PROPERTY_SEED";

    public static void ForAll<T>(Arbitrary<T> arbitrary, Action<T> property, ITestOutputHelper output, int cases = Cases, string? replay = null,
        [CallerFilePath] string file = "", [CallerMemberName] string member = "")
    {
        var ran = 0;
        var clock = Stopwatch.StartNew();
        var config = Config.QuickThrowOnFailure.WithMaxTest(cases).WithQuietOnSuccess(true);
        var seed = replay ?? SeedFor($"{Path.GetFileNameWithoutExtension(file)}.{member}");
        if (seed is not null) config = config.WithReplay(ParseReplay(seed));
        Check.One(config, Prop.ForAll(arbitrary, (T x) => { ran++; property(x); }));
        output.WriteLine($"{ran} cases passed in {clock.Elapsed.TotalSeconds:F2} s (seed {seed ?? "random"})");
    }

    /// <summary>"(seed,gamma)" for the property, or null for FsCheck's own random seed.</summary>
    private static string? SeedFor(string property)
    {
        var setting = Environment.GetEnvironmentVariable(SeedVariable);
        if (string.Equals(setting, "random", StringComparison.OrdinalIgnoreCase)) return null;
        var seed = ulong.TryParse(setting, NumberStyles.None, CultureInfo.InvariantCulture, out var chosen) ? chosen : StableHash(property);
        return $"({seed},{OddGamma})";
    }

    /// <summary>FsCheck's generator needs an odd gamma; this one is the golden-ratio increment of SplitMix64.</summary>
    private const ulong OddGamma = 0x9E3779B97F4A7C15UL;

    /// <summary>FNV-1a over the name: the same on every machine and run (string.GetHashCode is randomised per process).</summary>
    private static ulong StableHash(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var ch in text) hash = (hash ^ ch) * 1099511628211UL;
        return hash;
    }

    /// <summary>"(seed,gamma)" or "(seed,gamma,size)" as FsCheck prints it.</summary>
    private static FSharpOption<Replay> ParseReplay(string text)
    {
        var parts = text.Trim('(', ')', ' ').Split(',').Select(p => ulong.Parse(p.Trim(), CultureInfo.InvariantCulture)).ToArray();
        var size = parts.Length > 2 ? FSharpOption<int>.Some((int)parts[2]) : FSharpOption<int>.None;
        return FSharpOption<Replay>.Some(new Replay(new Rnd(parts[0], parts[1]), size));
    }
}
