namespace AdaTapeDml.Cli;

/// <summary>Where a command writes: the console in the program, string writers in tests.</summary>
public sealed record CliContext(TextWriter Out, TextWriter Error);
