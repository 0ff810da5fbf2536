using System.Diagnostics;
using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;

namespace AdaTapeDml.Properties.Generators;

/// <summary>Runs an FsCheck property from an xunit test (so one property can run once per backend via [MemberData]).
/// A failure throws with FsCheck's report: the shrunk counterexample and the replay seed "(seed,gamma)". On success it
/// writes how many cases ran and how long they took to the test output.</summary>
public static class PropertyCheck
{
    /// <summary>Generated cases per property unless a property states otherwise.</summary>
    public const int Cases = 100;

    public static void ForAll<T>(Arbitrary<T> arbitrary, Action<T> property, ITestOutputHelper output, int cases = Cases, string? replay = null)
    {
        var ran = 0;
        var clock = Stopwatch.StartNew();
        var config = Config.QuickThrowOnFailure.WithMaxTest(cases).WithQuietOnSuccess(true);
        if (replay is not null) config = config.WithReplay(ParseReplay(replay));
        Check.One(config, Prop.ForAll(arbitrary, (T x) => { ran++; property(x); }));
        output.WriteLine($"{ran} cases passed in {clock.Elapsed.TotalSeconds:F2} s");
    }

    /// <summary>"(seed,gamma)" or "(seed,gamma,size)" as FsCheck prints it.</summary>
    private static FSharpOption<Replay> ParseReplay(string text)
    {
        var parts = text.Trim('(', ')', ' ').Split(',').Select(p => ulong.Parse(p.Trim(), CultureInfo.InvariantCulture)).ToArray();
        var size = parts.Length > 2 ? FSharpOption<int>.Some((int)parts[2]) : FSharpOption<int>.None;
        return FSharpOption<Replay>.Some(new Replay(new Rnd(parts[0], parts[1]), size));
    }
}
