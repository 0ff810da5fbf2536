namespace AdaTapeDml.Core.Validation;

/// <summary>A problem the user caused and can fix (a bad option, a missing or corrupt file they pointed at, a run folder
/// that does not match the spec it is resumed with). The message is one line naming what is wrong and what is allowed;
/// the CLI prints it with exit code 2 and no stack trace. Anything else that escapes is an internal error.</summary>
public class UserError(string message) : Exception(OneLine(message))
{
    /// <summary><paramref name="text"/> on one line: runs of whitespace (including line breaks) become one space.</summary>
    public static string OneLine(string text) =>
        string.Join(' ', text.Split((char[])[' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries));
}
