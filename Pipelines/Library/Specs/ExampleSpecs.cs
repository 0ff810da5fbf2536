using AdaTapeDml.Core.Specs;

namespace AdaTapeDml.Pipelines.Specs;

/// <summary>The built-in example specs, by model and task name.</summary>
public static class ExampleSpecs
{
    public static readonly IReadOnlyList<string> ModelNames = ["adatape", "transformer", "ut", "avit"];

    public static RunSpec For(string model, string task)
    {
        TaskSpec taskSpec = task switch
        {
            "parity" => new ParityTaskSpec(),
            "fashion-mnist" => new FashionMnistTaskSpec(),
            _ => throw new ArgumentOutOfRangeException(nameof(task), task, "parity or fashion-mnist"),
        };
        var image = taskSpec is FashionMnistTaskSpec;
        ModelSpec modelSpec = model switch
        {
            "adatape" => new AdaTapeModelSpec { Bank = image ? new ImageInputBankSpec() : new SequenceInputBankSpec() },
            "transformer" => new TransformerModelSpec(),
            "ut" => new UniversalTransformerModelSpec(),
            "avit" => new AvitModelSpec(),
            _ => throw new ArgumentOutOfRangeException(nameof(model), model, "adatape, transformer, ut or avit"),
        };
        return new RunSpec { Name = $"{model}-{task}", Model = modelSpec, Task = taskSpec };
    }
}
