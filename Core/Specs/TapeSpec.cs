using System.Text.Json.Serialization;

namespace AdaTapeDml.Core.Specs;

/// <summary>The per-step regulariser of ATR that sharpens the read weights (and so shortens the tape).</summary>
public enum ActLossType
{
    /// <summary>1 - sum(w^2): the reference default.</summary>
    [JsonStringEnumMemberName("entropy")] Entropy,
    /// <summary>1 - max(w).</summary>
    [JsonStringEnumMemberName("max")] Max,
}

/// <summary>Which tokens the 'gap' pooling averages once a tape is appended.</summary>
public enum TapePooling
{
    /// <summary>Only the input tokens and the tape tokens actually read: a sample's output is independent of padding.</summary>
    [JsonStringEnumMemberName("validOnly")] ValidOnly,
    /// <summary>All slots, masked ones included, as the reference code does (depends on padding).</summary>
    [JsonStringEnumMemberName("reference")] Reference,
}

/// <summary>Adaptive Tape Reading knobs, named after the reference code's configuration keys.</summary>
/// <param name="NumTapeTokens">T, the maximum tape length. 10: the reference ImageNet config.</param>
/// <param name="TokensPerStep">m, tape tokens appended per ATR step. 1: the reference (which cannot run m &gt; 1).</param>
/// <param name="ActEpsilon">tau, the halting threshold on the summed read weights. 2.0: the reference.</param>
/// <param name="ActLossWeight">lambda, weight of the ATR loss in the total loss. 0.01: the reference.</param>
/// <param name="ActLossType">ATR loss per step. entropy: the reference.</param>
/// <param name="ComplexQuery">Query update q = (q + tape)/2 instead of q = tape. true: the reference.</param>
/// <param name="QueryNoise">Std of Gaussian noise added to the query in training. 0: the reference default.</param>
/// <param name="BankMaskP">Probability that a bank entry is hidden for a sample in training. 0: the reference default.</param>
/// <param name="SplitTt">Key width = Width / SplitTt. 4 (= heads): the reference sets it to the head count.</param>
/// <param name="TtMlpDim">Hidden width of the GLU MLP applied once to tape tokens; 0 = off. 512 (4 x width), as the reference's 1536 for D 384.</param>
/// <param name="EncTtMlpDim">Hidden width of a separate GLU feed-forward for tape tokens in later blocks; 0 = shared FFN (the reference default).</param>
/// <param name="AddTapeAtLayer">Index of the first encoder block that sees the tape. 1: the reference appends after block 0.</param>
/// <param name="Pooling">Pooling over tape slots. validOnly: makes elastic inference exact (see adatape-algorithm.md section 4).</param>
/// <param name="PinnedCandidates">k held at this value instead of floor(T / tau); null (the reference, and every trained
/// spec) derives it. Set by the k-holding compute knob, so that moving tau at inference changes only when a sample halts,
/// not how many candidates each step merges (which the model was trained with).</param>
/// <param name="TrainActEpsilonMax">When set, each training batch halts at a threshold drawn uniformly from
/// [actEpsilon, this] with k held at floor(T / actEpsilon), so the model is trained on every tape length the k-holding
/// compute knob reads up to this threshold (a model trained at one threshold reads the same length every time and fails
/// when the knob asks for more). Inference and evaluation use actEpsilon. Null: the reference, one threshold.</param>
public sealed record TapeSpec(
    int NumTapeTokens = 10,
    int TokensPerStep = 1,
    double ActEpsilon = 2.0,
    double ActLossWeight = 0.01,
    ActLossType ActLossType = ActLossType.Entropy,
    bool ComplexQuery = true,
    double QueryNoise = 0.0,
    double BankMaskP = 0.0,
    int SplitTt = 4,
    int TtMlpDim = 512,
    int EncTtMlpDim = 0,
    int AddTapeAtLayer = 1,
    TapePooling Pooling = TapePooling.ValidOnly,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? PinnedCandidates = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? TrainActEpsilonMax = null)
{
    /// <summary>S = T / m: the most ATR steps a sample can take.</summary>
    [JsonIgnore] public int MaxSteps => NumTapeTokens / Math.Max(1, TokensPerStep);

    /// <summary>k = floor(T / tau) (or the pinned value): candidates merged into one step's tape token(s).</summary>
    [JsonIgnore] public int CandidatesPerStep => PinnedCandidates ?? DerivedCandidates(NumTapeTokens, ActEpsilon);

    /// <summary>k = floor(T / tau), the reference's rule (0 for a tau that is not positive).</summary>
    public static int DerivedCandidates(int numTapeTokens, double actEpsilon) =>
        actEpsilon > 0 ? (int)Math.Floor(numTapeTokens / actEpsilon) : 0;
}
