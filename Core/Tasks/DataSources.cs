using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Specs;

namespace AdaTapeDml.Core.Tasks;

/// <summary>The data source of a task: the one switch over task kinds for data.</summary>
public static class DataSources
{
    public static IDataSource For(TaskSpec task, int seed) => task switch
    {
        ParityTaskSpec p => new ParityDataSource(new ParityGenerator(p.SeqLen, p.EvalExamples, seed)),
        FashionMnistTaskSpec f => FashionMnist.Load(f, seed),
        _ => throw new ArgumentOutOfRangeException(nameof(task), task, "unknown task kind"),
    };
}
