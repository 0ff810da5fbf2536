using System.CommandLine;
using AdaTapeDml.Core.Cost;
using AdaTapeDml.Core.Serialization;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Pipelines.Specs;

namespace AdaTapeDml.Cli.Commands;

/// <summary>`adatape spec validate FILE` and `adatape spec example`.</summary>
public static class SpecCommands
{
    public static Command Create(CliContext context)
    {
        var spec = new Command("spec", "Create and check run spec JSON files.");
        spec.Subcommands.Add(Validate(context));
        spec.Subcommands.Add(Example(context));
        return spec;
    }

    private static Command Validate(CliContext context)
    {
        var file = new Argument<string>("FILE") { Description = "The run spec JSON file to check." };
        var command = new Command("validate", "Check a run spec and list every problem at once (exit 2 if any).") { file };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(file)!;
            var result = RunSpecFile.Load(path);
            if (!result.IsOk)
            {
                foreach (var error in result.Errors) context.Error.WriteLine($"adatape: invalid spec {path}: {error}");
                return ExitCodes.BadInput;
            }
            context.Out.WriteLine($"valid: {Describe(result.Value!)}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Example(CliContext context)
    {
        var model = new Option<string>("--model") { Description = $"Model kind: {string.Join(", ", ExampleSpecs.ModelNames)}.", DefaultValueFactory = _ => "adatape" };
        model.AcceptOnlyFromAmong([.. ExampleSpecs.ModelNames]);
        var task = new Option<string>("--task") { Description = "Task: parity or fashion-mnist.", DefaultValueFactory = _ => "parity" };
        task.AcceptOnlyFromAmong("parity", "fashion-mnist");
        var command = new Command("example", "Print a valid example run spec (the built-in defaults).") { model, task };
        command.SetAction(parse =>
        {
            context.Out.WriteLine(RunSpecJson.Serialize(ExampleSpecs.For(parse.GetValue(model)!, parse.GetValue(task)!)));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>A one-line summary of a valid spec, with its cost range from the Core cost model.</summary>
    private static string Describe(RunSpec spec)
    {
        var e = spec.Model.Encoder;
        var shape = $"width {e.Width}, depth {e.Depth}, heads {e.Heads}";
        return spec.Model switch
        {
            AdaTapeModelSpec a =>
                $"{spec.Name}: adatape on {TaskName(spec.Task)} ({shape}); k = {a.Tape.CandidatesPerStep} candidates/step, " +
                $"tape {Math.Ceiling(a.Tape.ActEpsilon) * a.Tape.TokensPerStep}..{a.Tape.NumTapeTokens} tokens, " +
                $"{CostModel.Forward(a, spec.Task, (int)Math.Ceiling(a.Tape.ActEpsilon) * a.Tape.TokensPerStep).Total:N0}.." +
                $"{CostModel.Forward(a, spec.Task, a.Tape.NumTapeTokens).Total:N0} FLOPs/sample",
            UniversalTransformerModelSpec u =>
                $"{spec.Name}: universal transformer on {TaskName(spec.Task)} ({shape}); up to {u.Act.MaxSteps} steps, " +
                $"{CostModel.Forward(u, spec.Task, utSteps: 1).Total:N0}..{CostModel.Forward(u, spec.Task).Total:N0} FLOPs/sample",
            AvitModelSpec v =>
                $"{spec.Name}: a-vit on {TaskName(spec.Task)} ({shape}); token depths 1..{e.Depth}, " +
                $"{CostModel.Forward(v, spec.Task, tokenDepths: Enumerable.Repeat(1, CostModel.TokenCount(v, spec.Task)).ToArray()).Total:N0}.." +
                $"{CostModel.Forward(v, spec.Task).Total:N0} FLOPs/sample",
            _ => $"{spec.Name}: transformer on {TaskName(spec.Task)} ({shape}); {CostModel.Forward(spec.Model, spec.Task).Total:N0} FLOPs/sample",
        };
    }

    private static string TaskName(TaskSpec task) => task switch
    {
        ParityTaskSpec p => $"parity L={p.SeqLen}",
        FashionMnistTaskSpec => "fashion-mnist",
        _ => "?",
    };
}
