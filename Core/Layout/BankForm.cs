namespace AdaTapeDml.Core.Layout;

/// <summary>How a model's tape bank reaches the ATR at inference.</summary>
public enum BankForm
{
    /// <summary>No tape.</summary>
    None,

    /// <summary>Built from each input ([B, N, D], the image bank): READ computes it.</summary>
    PerSample,

    /// <summary>One learned [N, D] every sample reads.</summary>
    Shared,

    /// <summary>Each entry is one of a few fixed rows chosen by its input element (the parity bank: a Dense over one-hot
    /// elements), so the host looks entries up in a table built from the weights and READ never computes [B, N, D].</summary>
    Lookup,
}
