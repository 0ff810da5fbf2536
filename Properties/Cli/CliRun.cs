using AdaTapeDml.Cli;

namespace AdaTapeDml.Properties.Cli;

/// <summary>Runs `adatape` in-process with captured output, and the error policy every command shares: bad input is one
/// line on stderr with exit code 2 and never a stack trace.</summary>
public static class CliRun
{
    public sealed record Outcome(int Code, string Out, string Error)
    {
        public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        public string[] OutLines => Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    public static Outcome Invoke(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = AdaTapeCli.Run(args, new CliContext(output, error));
        var outcome = new Outcome(code, output.ToString(), error.ToString());
        Assert.DoesNotContain(outcome.ErrorLines, line => line.Contains("   at ") || line.StartsWith("at ", StringComparison.Ordinal)); // no stack trace
        return outcome;
    }

    public static void AssertOneLineError(Outcome result, string expected)
    {
        Assert.Equal(ExitCodes.BadInput, result.Code);
        Assert.Single(result.ErrorLines);
        Assert.Contains(expected, result.ErrorLines[0]);
    }
}
