namespace AdaTapeDml.Cli;

/// <summary>Bad input from the user: reported as one line on stderr with exit code 2, never as a stack trace.</summary>
public sealed class UserError(string message) : Exception(message);
