using AdaTapeDml.Core.Layout;

namespace AdaTapeDml.Core.Atr;

/// <summary>The tape bank <see cref="BatchAtr"/> reads, before the shared LayerNorm, in one of three forms: every sample's
/// own rows [B, N, D]; one bank [N, D] every sample shares; or a table [V, D] from which each sample's N entries are chosen
/// ([B, N] row indices), so a bank of a few distinct rows is normalised and scored once per call, not once per entry.</summary>
public sealed record AtrBank
{
    private AtrBank(ReadOnlyMemory<float> rows, int size, bool shared, int[]? entries) =>
        (Rows, Size, IsShared, Entries) = (rows, size, shared, entries);

    /// <summary>[B, N, D], [N, D] or the table [V, D].</summary>
    public ReadOnlyMemory<float> Rows { get; }

    /// <summary>N, entries in a sample's bank.</summary>
    public int Size { get; }

    /// <summary>One [N, D] serves every sample.</summary>
    public bool IsShared { get; }

    /// <summary>[B, N] the table row of each sample's entry, for a lookup; else null.</summary>
    public int[]? Entries { get; }

    /// <summary>Each sample's own rows [B, N, D].</summary>
    public static AtrBank PerSample(ReadOnlyMemory<float> rows, int size) => new(rows, size, false, null);

    /// <summary>One bank [N, D] shared by the batch.</summary>
    public static AtrBank Shared(ReadOnlyMemory<float> rows, int size) => new(rows, size, true, null);

    /// <summary>Sample b's entry i is row <paramref name="entries"/>[b * N + i] of <paramref name="table"/> [V, D].</summary>
    public static AtrBank Lookup(ReadOnlyMemory<float> table, int[] entries, int size) => new(table, size, false, entries);

    /// <summary>A session's bank for one READ, by the model's <see cref="BankForm"/>.</summary>
    /// <param name="layout">The model's layout.</param>
    /// <param name="hostRows">The shared bank's rows or the lookup table, which the session holds; null for per-sample banks.</param>
    /// <param name="perSampleRows">[B, N, D] READ's bank output, for per-sample banks only.</param>
    /// <param name="inputs">The batch's inputs (a lookup's entries come from its one-hot elements).</param>
    /// <param name="count">B.</param>
    public static AtrBank Of(ModelLayout layout, float[]? hostRows, ReadOnlyMemory<float> perSampleRows, ReadOnlySpan<float> inputs, int count) =>
        layout.Bank switch
        {
            BankForm.Shared => Shared(hostRows ?? throw new ArgumentNullException(nameof(hostRows)), layout.BankSize),
            BankForm.Lookup => Lookup(hostRows ?? throw new ArgumentNullException(nameof(hostRows)),
                LookupBank.Entries(inputs, count, layout.BankSize), layout.BankSize),
            BankForm.PerSample => PerSample(perSampleRows, layout.BankSize),
            _ => throw new ArgumentException("the model has no tape bank", nameof(layout)),
        };

    /// <summary>Rows normalised once per call (the shared bank or the table), or 0 for per-sample rows.</summary>
    public int RowsOnce(int width) => IsShared ? Size : Entries is null ? 0 : Rows.Length / width;
}
