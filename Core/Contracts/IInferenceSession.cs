using AdaTapeDml.Core.Specs;

namespace AdaTapeDml.Core.Contracts;

/// <summary>A trained model ready for inference on one backend. AdaTape models also expose the READ / ENCODE split, so a
/// pipeline can read every sample's tape first and then run each group of equal tape length at that length: a sample
/// costs what its own tape costs. Implementations are not thread-safe: one call at a time per session.</summary>
public interface IInferenceSession : IDisposable
{
    RunSpec Spec { get; }

    /// <summary>Backend name for reports (e.g. "torch", "onnx-cpu").</summary>
    string Backend { get; }

    /// <summary>Whether <see cref="Read"/> and <see cref="Encode"/> are available (AdaTape models only).</summary>
    bool IsElastic { get; }

    /// <summary>Padded execution of a batch, as the reference's static shapes: every sample computed over all T tape
    /// slots, unread ones masked. Logits [B, classes] row-major and what each sample computed (tape length, UT steps,
    /// A-ViT token depths); deconstructs to (logits, tape lengths) with zeros without a tape.</summary>
    /// <param name="inputs">Row-major inputs of shape [B, ..input shape].</param>
    /// <param name="count">B.</param>
    RunOutput Run(float[] inputs, int count);

    /// <summary>READ: embedding, blocks before the tape layer and ATR for a batch.</summary>
    TapeReadBatch Read(float[] inputs, int count);

    /// <summary>ENCODE: logits [G, classes] of G samples computed over <paramref name="tapeLength"/> tape slots, of which
    /// sample g uses the first lengths[g] (the rest are masked). With every length equal to tapeLength nothing is masked:
    /// each sample costs exactly its own tape.</summary>
    /// <param name="hidden">[G, n, D] row-major.</param>
    /// <param name="tape">[G, tapeLength, D] row-major.</param>
    /// <param name="lengths">[G] tape lengths, each at most <paramref name="tapeLength"/>.</param>
    /// <param name="tapeLength">L, the slots computed for every sample in the call.</param>
    float[] Encode(float[] hidden, float[] tape, int[] lengths, int tapeLength);

    /// <summary>ENCODE of every sample of <paramref name="read"/> in one call, whatever the mix of tape lengths: logits
    /// [B, classes]. Packed computes each sample at its own length (<see cref="Layout.PackedLayout"/>; equal to
    /// <see cref="Encode"/> at that length when <see cref="Layout.ModelLayout.PacksExactly"/>); padded computes every
    /// sample over the batch's longest tape, masked. Uses the READ's native values when this session made it.</summary>
    float[] EncodeBatch(TapeReadBatch read, EncodeMode mode);

    /// <summary>Runs <paramref name="calls"/>, which makes several calls on this session (one micro-batch's READ and
    /// ENCODE), where the session makes its native calls, so the calls inside do not each change threads. Default: on the
    /// calling thread.</summary>
    T RunTogether<T>(Func<T> calls) => calls();
}
