namespace AdaTapeDml.Core.Specs;

/// <summary>Graves' ACT halting of the Universal Transformer baseline (reference UT config).</summary>
/// <param name="MaxSteps">Most recurrent steps. 12: the reference UT config.</param>
/// <param name="Threshold">Halting threshold on the cumulative halting probability. 0.99: the reference (1 - 0.01).</param>
/// <param name="HaltingBiasInit">Initial bias of the halting unit. -1.0: the reference; starts with long pondering.</param>
/// <param name="PonderWeight">Weight of the ponder cost in the loss. 0.01: the reference.</param>
public sealed record ActHaltingSpec(
    int MaxSteps = 12,
    double Threshold = 0.99,
    double HaltingBiasInit = -1.0,
    double PonderWeight = 0.01);
