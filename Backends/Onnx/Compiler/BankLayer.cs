using AdaTapeDml.Core.Layout;
using AdaTapeDml.Backends.Onnx.Graph;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Core.Tasks;

namespace AdaTapeDml.Backends.Onnx.Compiler;

/// <summary>The tape bank of each kind (TapeBank.cs), before the shared LayerNorm.</summary>
public static class BankLayer
{
    /// <returns>The bank values and whether they are shared by the batch ([N, D]) or per sample ([B, N, D]), and N.</returns>
    public static (string Bank, bool Shared, int Size) Emit(OnnxGraphBuilder g, ModelWeights w, BankSpec bank, TaskSpec task, int width, string input)
    {
        switch (bank)
        {
            case LearnableBankSpec learnable:
                return (g.Weight("bank.tape_tokens", w.Get("bank.tape_tokens", learnable.Size, width).Values, learnable.Size, width), true, learnable.Size);
            case SequenceInputBankSpec:
                return (DenseLayers.Dense(g, w, "bank.pre_bank", input, Parity.Channels, width), false, ((ParityTaskSpec)task).SeqLen);
            case ImageInputBankSpec image:
                var side = FashionMnistTaskSpec.ImageSize / image.PatchSize;
                var patches = EmbeddingLayer.PatchTokens(g, w, "bank.embedding_bank", input, width, image.PatchSize);   // [B, M, D]
                var positioned = g.Add(patches, g.Weight("bank.pos_embedding_bank", w.Get("bank.pos_embedding_bank", 1, side * side, width).Values, 1, side * side, width));
                return (DenseLayers.Dense(g, w, "bank.pre_bank", positioned, width, width), false, side * side);
            default:
                throw new ArgumentOutOfRangeException(nameof(bank), bank, "unknown bank kind");
        }
    }
}
