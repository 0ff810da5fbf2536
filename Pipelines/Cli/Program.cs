using AdaTapeDml.Cli;

return AdaTapeCli.Run(args, new CliContext(Console.Out, Console.Error));
