namespace AdaTapeDml.Core.Layout;

/// <summary>How inputs become tokens: the whole parity sequence as one token (AdaTape on parity, as the reference), one
/// token per parity element (the baselines on parity), or image patches.</summary>
public enum InputTokenKind
{
    WholeSequence,
    PerElement,
    Patches,
}
