using System.CommandLine;
using AdaTapeDml.Cli.Commands;

namespace AdaTapeDml.Cli;

/// <summary>The `adatape` command tree and its error policy: bad input is one line on stderr and exit code 2,
/// anything unexpected one line and exit code 1; never a stack trace.</summary>
public static class AdaTapeCli
{
    public static RootCommand Build(CliContext context)
    {
        var root = new RootCommand("AdaTape: adaptive computation with elastic input sequences (Xue et al., ICML 2023).");
        root.Subcommands.Add(SpecCommands.Create(context));
        root.Subcommands.Add(TrainCommand.Create(context));
        root.Subcommands.Add(EvalCommand.Create(context));
        root.Subcommands.Add(ParityCommand.Create(context));
        root.Subcommands.Add(BenchCommand.Create(context));
        root.Subcommands.Add(KnobCommand.Create(context));
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
        catch (UserError e)
        {
            context.Error.WriteLine($"adatape: {OneLine(e.Message)}");
            return ExitCodes.BadInput;
        }
        catch (ArgumentException e) when (e.Message.StartsWith("compute knob:", StringComparison.Ordinal))
        {
            context.Error.WriteLine($"adatape: {OneLine(e.Message)}");
            return ExitCodes.BadInput;
        }
        catch (Core.Checkpoints.CheckpointException e)
        {
            context.Error.WriteLine($"adatape: {OneLine(e.Message)}");
            return ExitCodes.BadInput;
        }
        catch (OperationCanceledException)
        {
            context.Error.WriteLine("adatape: cancelled");
            return ExitCodes.Failure;
        }
        catch (Exception e)
        {
            context.Error.WriteLine($"adatape: internal error: {e.GetType().Name}: {OneLine(e.Message)}");
            return ExitCodes.Failure;
        }
    }

    private static string OneLine(string s) => string.Join(' ', s.Split((char[])[' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries));
}
