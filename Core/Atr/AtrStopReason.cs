namespace AdaTapeDml.Core.Atr;

/// <summary>Why a sample stopped reading the tape.</summary>
public enum AtrStopReason
{
    /// <summary>Still reading (only seen on intermediate states).</summary>
    Running,
    /// <summary>The halting sum reached tau: the normal end.</summary>
    Halted,
    /// <summary>All S = T / m steps were taken without reaching tau (only float rounding at the bound allows it).</summary>
    StepLimit,
    /// <summary>No unread, unhidden bank entry was left: the sample stops rather than re-reading entries.</summary>
    BankExhausted,
}
