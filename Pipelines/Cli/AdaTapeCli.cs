using System.CommandLine;
using AdaTapeDml.Cli.Commands;

namespace AdaTapeDml.Cli;

/// <summary>The `adatape` command tree and its error policy, by exception type (never by message text): bad input
/// (<see cref="UserError"/>, which checkpoint problems are too, and malformed data files) is one line on stderr and exit
/// code 2; anything else is an internal error, one line and exit code 1; never a stack trace.</summary>
public static class AdaTapeCli
{
    public static RootCommand Build(CliContext context)
    {
        var root = new RootCommand("AdaTape: adaptive computation with elastic input sequences (Xue et al., ICML 2023).");
        root.Subcommands.Add(SpecCommands.Create(context));
        root.Subcommands.Add(TrainCommand.Create(context));
        root.Subcommands.Add(EvalCommand.Create(context));
        root.Subcommands.Add(ParityCommand.Create(context));
        root.Subcommands.Add(ImagesCommand.Create(context));
        root.Subcommands.Add(BenchCommand.Create(context));
        root.Subcommands.Add(KnobCommand.Create(context));
        root.Subcommands.Add(HeatmapCommand.Create(context));
        root.Subcommands.Add(InferCommand.Create(context));
        root.Subcommands.Add(ExportCommand.Create(context));
        root.Subcommands.Add(ServeCommand.Create(context));
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>, returning the exit code.</summary>
    public static int Run(string[] args, CliContext context)
    {
        var root = Build(context);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // The most specific error first: an unrecognised word says more than "command not provided".
            var error = parse.Errors.FirstOrDefault(e => e.Message.Contains("Unrecognized", StringComparison.Ordinal)) ?? parse.Errors[0];
            context.Error.WriteLine($"adatape: {OneLine(error.Message)} (see 'adatape --help')");
            return ExitCodes.BadInput;
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false, Output = context.Out, Error = context.Error });
        }
        catch (Exception thrown)
        {
            var (code, line) = Describe(thrown);
            context.Error.WriteLine($"adatape: {line}");
            return code;
        }
    }

    /// <summary>The exit code and the one line to print for an exception that ended a command, chosen by its type.</summary>
    public static (int Code, string Line) Describe(Exception thrown)
    {
        var e = thrown is AggregateException { InnerExceptions.Count: 1 } one ? one.InnerExceptions[0] : thrown;
        return e switch
        {
            // Bad input, typed by whoever found it (checkpoint problems are UserErrors too); a malformed data file the
            // user gave (IDX images, Fashion-MNIST) is an InvalidDataException from Core's readers.
            UserError or InvalidDataException => (ExitCodes.BadInput, OneLine(e.Message)),
            OperationCanceledException => (ExitCodes.Failure, "cancelled"),
            // A bug or the machine: still one line, never a stack trace.
            _ => (ExitCodes.Failure, OneLine($"internal error: {e.GetType().Name}: {e.Message}")),
        };
    }

    private static string OneLine(string s) => UserError.OneLine(s);
}
