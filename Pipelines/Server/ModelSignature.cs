using AdaTapeDml.Core.Specs;

namespace AdaTapeDml.Server;

/// <summary>The tensors a served model reads and writes in the Open Inference Protocol, per task: the one place the
/// protocol's names, datatypes and shapes are decided (metadata, request parsing and responses all read it).</summary>
public static class ModelSignature
{
    /// <summary>A tensor's name, allowed datatypes and shape; -1 marks the batch dimension.</summary>
    public sealed record Tensor(string Name, string[] Datatypes, long[] Shape);

    public const string Probabilities = "probabilities", Prediction = "prediction", TapeLength = "tape_length",
        UtSteps = "ut_steps", TokenDepth = "token_depth";

    /// <summary>Parity: "sequence" INT8 [B, L] over {-1, 0, 1}. Images: "image" UINT8 (0-255) or FP32 (0-1) [B, 28, 28].</summary>
    public static Tensor Input(TaskSpec task) => task switch
    {
        ParityTaskSpec p => new("sequence", ["INT8"], [-1, p.SeqLen]),
        FashionMnistTaskSpec => new("image", ["UINT8", "FP32"], [-1, FashionMnistTaskSpec.ImageSize, FashionMnistTaskSpec.ImageSize]),
        _ => throw new ArgumentOutOfRangeException(nameof(task), task, "unknown task kind"),
    };

    /// <summary>Class probabilities FP32 [B, C], the predicted class INT64 [B], the tape length read INT32 [B] (0 without a
    /// tape), and what the halting baselines adapt: a Universal Transformer's steps INT32 [B], an A-ViT's mean token depth
    /// FP32 [B].</summary>
    public static Tensor[] Outputs(RunSpec spec) =>
    [
        new(Probabilities, ["FP32"], [-1, spec.Task.NumClasses]),
        new(Prediction, ["INT64"], [-1]),
        new(TapeLength, ["INT32"], [-1]),
        .. spec.Model switch
        {
            UniversalTransformerModelSpec => [new Tensor(UtSteps, ["INT32"], [-1])],
            AvitModelSpec => [new Tensor(TokenDepth, ["FP32"], [-1])],
            _ => Array.Empty<Tensor>(),
        },
    ];
}
