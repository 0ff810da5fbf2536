namespace AdaTapeDml.Cli;

/// <summary>Process exit codes of the `adatape` command.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>Something failed that is not the user's input (a bug or the machine): one line, no stack trace.</summary>
    public const int Failure = 1;
    /// <summary>Bad input: a malformed spec, a missing file, an unknown option value.</summary>
    public const int BadInput = 2;
}
