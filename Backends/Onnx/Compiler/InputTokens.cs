using AdaTapeDml.Core.Specs;
using AdaTapeDml.Core.Tasks;

namespace AdaTapeDml.Backends.Onnx.Compiler;

/// <summary>The tokenisation a model kind uses on a task, and the token count it yields.</summary>
public static class InputTokens
{
    public static InputTokenKind For(ModelSpec model, TaskSpec task) => (model, task) switch
    {
        (_, FashionMnistTaskSpec) => InputTokenKind.Patches,
        (AdaTapeModelSpec, _) => InputTokenKind.WholeSequence,
        _ => InputTokenKind.PerElement,
    };

    /// <summary>n: tokens per sample after the embedding (CLS included).</summary>
    public static int Count(InputTokenKind kind, EncoderSpec encoder, TaskSpec task) =>
        (encoder.Classifier == Classifier.Token ? 1 : 0) + kind switch
        {
            InputTokenKind.WholeSequence => 1,
            InputTokenKind.PerElement => ((ParityTaskSpec)task).SeqLen,
            _ => Square(FashionMnistTaskSpec.ImageSize / encoder.PatchSize),
        };

    /// <summary>Per-sample input features of a parity task: one-hot channels.</summary>
    public const int ParityChannels = Parity.Channels;

    private static int Square(int side) => side * side;
}
