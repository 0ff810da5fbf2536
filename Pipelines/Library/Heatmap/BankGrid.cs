using AdaTapeDml.Core.Layout;
using System.Diagnostics.Contracts;
using AdaTapeDml.Core.Cost;
using AdaTapeDml.Core.Specs;

namespace AdaTapeDml.Pipelines.Heatmap;

/// <summary>How a tape bank's entries are laid out for a heatmap: an image input-driven bank as its grid of fine patches
/// (entry r * Columns + c is the patch in row r, column c), a sequence bank or a learnable bank as one row of entries.</summary>
/// <param name="Rows">Grid rows.</param>
/// <param name="Columns">Grid columns; Rows * Columns = bank entries.</param>
/// <param name="What">What one cell is, for captions ("fine patch", "sequence position", "bank entry").</param>
public sealed record BankGrid(int Rows, int Columns, string What)
{
    public int Size => Rows * Columns;

    /// <summary>The grid of <paramref name="model"/>'s bank on <paramref name="task"/>.</summary>
    [Pure]
    public static BankGrid Of(AdaTapeModelSpec model, TaskSpec task)
    {
        var size = ModelLayout.BankSizeOf(model.Bank, task);
        return model.Bank switch
        {
            ImageInputBankSpec image => new BankGrid(FashionMnistTaskSpec.ImageSize / image.PatchSize, FashionMnistTaskSpec.ImageSize / image.PatchSize, "fine patch"),
            SequenceInputBankSpec => new BankGrid(1, size, "sequence position"),
            LearnableBankSpec => new BankGrid(1, size, "bank entry"),
            _ => throw new ArgumentOutOfRangeException(nameof(model), model.Bank, "unknown bank kind"),
        };
    }
}
