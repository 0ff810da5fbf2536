using AdaTapeDml.Backends.Onnx.Runtime;
using AdaTapeDml.Backends.TorchSharp.Inference;
using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Tasks;
using AdaTapeDml.Pipelines.Inference;

// The backends this app ships, by name; configuration picks one per deployment.
var backends = new InferenceBackends()
    .Add("torch", config => new TorchInferenceSession(config.WeightsPath, config.Tape, ComputeDevice.Parse(config.Device), config.Halting, config.Trace))
    .Add("onnx", config => new OnnxInferenceSession(config.WeightsPath,
        OnnxOptions.For(config.ExecutionProvider, config.DeviceId, config.FallbackToCpu), config.Tape, config.Halting, config.Trace));

var config = new InferenceConfig(
    WeightsPath: args.Length > 0 ? args[0] : "runs/parity/adatape/model.safetensors",
    Backend: args.Length > 1 ? args[1] : "torch",                // "onnx": ONNX Runtime
    ExecutionProvider: args.Length > 2 ? args[2] : "cpu",        // "directml": any Windows GPU (DirectML build)
    Pipeline: new ElasticOptions(MaxBatchSize: 64, Sessions: 2, MaxInFlight: 1024));

using var inference = AdaTapeInference.Create(config, backends);

// Concurrent callers are micro-batched; each sample is encoded at its own tape length.
sbyte[][] sequences = [[1, 0, -1, 1, 0, 0, 1, -1, 0, 0, 1, 0, 0, -1, 0, 1], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]];
var answers = await Task.WhenAll(sequences.Select((sequence, i) =>
    inference.PredictAsync(new InferenceRequest($"sample{i}", Parity.OneHot([sequence], sequence.Length)))));

foreach (var answer in answers)
    Console.WriteLine(answer.IsError
        ? $"{answer.Id}: {answer.Error}"
        : $"{answer.Id}: parity {answer.Class} (p = {answer.Probabilities[answer.Class]:F3}), tape {answer.TapeLength} tokens");
