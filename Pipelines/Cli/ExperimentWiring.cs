using AdaTapeDml.Backends.Onnx.Runtime;
using AdaTapeDml.Backends.TorchSharp.Inference;
using AdaTapeDml.Backends.TorchSharp.Training;
using AdaTapeDml.Cli.Commands;
using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Pipelines.Experiments;

namespace AdaTapeDml.Cli;

/// <summary>The concrete backends an experiment runs on in this tool: TorchSharp trains and sweeps, ONNX Runtime (CPU) and
/// TorchSharp are timed side by side, and training is rendered by <see cref="TrainingConsole"/>.</summary>
public static class ExperimentWiring
{
    public const string Torch = "torch";
    public const string OnnxCpu = "onnx-cpu";

    public static ExperimentBackend Create(CliContext context, ComputeDevice device, CancellationToken cancel) => new(
        EvalCommand.LoadData,
        (spec, data, checkpoint) => new TorchTrainer(spec, data, checkpoint, device),
        run => TrainingConsole.Run(run, context, cancel),
        new Dictionary<string, Func<string, KnobSetting?, IInferenceSession>>
        {
            [Torch] = (weights, knob) => new TorchInferenceSession(weights, knob?.Tape, device, knob?.Halting),
            [OnnxCpu] = (weights, knob) => new OnnxInferenceSession(weights, OnnxOptions.For("cpu", 0, fallbackToCpu: false), knob?.Tape, knob?.Halting),
        },
        Torch,
        context.Out);
}
