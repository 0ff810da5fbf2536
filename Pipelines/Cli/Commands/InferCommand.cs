using System.CommandLine;
using System.Globalization;
using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Core.Tasks;
using AdaTapeDml.Pipelines.Inference;
using AdaTapeDml.Pipelines.Specs;
using AdaTapeDml.Pipelines.Training;

namespace AdaTapeDml.Cli.Commands;

/// <summary>`adatape infer --run DIR --backend torch|onnx (--input FILE | --parity-samples N)`: classifies samples through
/// the elastic pipeline on the configured backend and prints one JSON line per sample, in input order. A bad input line is
/// answered with {"id", "error"} in its place, the others are classified, and the exit code is 2.</summary>
public static class InferCommand
{
    public static Command Create(CliContext context)
    {
        var runOption = new Option<string>("--run") { Description = "Run folder of a trained model.", Required = true };
        var backend = new Option<string>("--backend") { Description = "Inference backend: torch or onnx.", DefaultValueFactory = _ => "torch" };
        var ep = new Option<string>("--ep") { Description = "ONNX Runtime execution provider: cpu, directml or cuda.", DefaultValueFactory = _ => "cpu" };
        var deviceId = new Option<int>("--device-id") { Description = "GPU index for directml or cuda.", DefaultValueFactory = _ => 0 };
        var fallback = new Option<string?>("--fallback") { Description = "'cpu': run on the CPU (with a warning) when the execution provider is absent." };
        var input = new Option<string?>("--input") { Description = "Samples: JSON lines {\"id\", \"sequence\"} for parity, an IDX image file for images." };
        var paritySamples = new Option<int?>("--parity-samples") { Description = "Classify the first N held-out parity samples (prints accuracy on stderr)." };
        var actEpsilon = new Option<double?>("--act-epsilon") { Description = "Halting threshold at inference (the compute knob; default: as trained)." };
        var maxTape = new Option<int?>("--max-tape") { Description = "Maximum tape length at inference (default: as trained)." };
        var trace = new Option<bool>("--trace") { Description = "Add each sample's READ trace: per ATR step, the bank indices read (best first) and their weights (AdaTape models)." };
        var batch = new Option<int>("--batch") { Description = "Micro-batch size of the elastic pipeline.", DefaultValueFactory = _ => 64 };
        var device = DeviceOption.Create();
        var command = new Command("infer", "Classify samples with a trained model; one JSON line per sample.")
            { runOption, backend, ep, deviceId, fallback, input, paritySamples, actEpsilon, maxTape, trace, batch, device };
        command.SetAction(parse =>
        {
            var run = new RunDirectory(parse.GetValue(runOption)!);
            if (!File.Exists(run.Weights)) throw new UserError($"--run {run.Root}: no trained weights ({run.Weights})");
            var (inputPath, samples) = (parse.GetValue(input), parse.GetValue(paritySamples));
            if ((inputPath is null) == (samples is null)) throw new UserError("give exactly one of --input FILE and --parity-samples N");
            var fallbackValue = parse.GetValue(fallback);
            var backendName = parse.GetValue(backend)!;
            var provider = ExecutionProviderOption.Check(backendName, parse.GetValue(ep)!, fallbackValue);
            if (parse.GetValue(batch) < 1) throw new UserError("--batch must be >= 1");
            if (parse.GetValue(deviceId) < 0) throw new UserError($"--device-id {parse.GetValue(deviceId)}: must be >= 0 (a GPU index; 0 = the default GPU), whichever backend runs");
            var torchDevice = TorchDeviceFor(backendName, parse, device);

            var spec = RunSpecFile.Load(run.Spec) is { IsOk: true } loaded ? loaded.Value! : throw new UserError($"--run {run.Root}: missing or invalid spec.json");
            if (parse.GetValue(trace) && spec.Model is not AdaTapeModelSpec)
                throw new UserError($"--trace: this run's model ({spec.Model.GetType().Name}) has no tape to trace; --trace needs an AdaTape model");
            var knob = parse.GetValue(actEpsilon) is null && parse.GetValue(maxTape) is null ? null : new TapeOverride(parse.GetValue(actEpsilon), parse.GetValue(maxTape));
            if (knob?.ApplyTo(spec) is { IsOk: false } invalid) throw new UserError($"compute knob: {invalid.Errors[0]}");
            var (lines, labels) = samples is { } n ? HeldOutParity(spec, n) : (FromFile(inputPath!, spec.Task), null);

            var options = new ElasticOptions(MaxBatchSize: parse.GetValue(batch), MaxInFlight: Math.Max(1024, parse.GetValue(batch)), Ordered: true);
            if (options.Problems() is { Count: > 0 } problems) throw new UserError(string.Join("; ", problems));
            var config = new InferenceConfig(run.Weights, backendName, provider, parse.GetValue(deviceId), options, knob, fallbackValue == "cpu", torchDevice.ToString(), parse.GetValue(trace));
            var createSession = CliBackends.SessionsFor(context, config);

            var (correct, failed, index) = (0, 0, 0);
            using var answers = InputLineInference.Answer(lines, createSession, options).GetEnumerator();
            while (Next(answers, backendName))
            {
                var prediction = answers.Current;
                context.Out.WriteLine(PredictionJson.Line(prediction));
                if (prediction.IsError) failed++;
                else if (labels is not null && prediction.Class == labels[index]) correct++;
                index++;
            }
            if (labels is not null)
                context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"accuracy {correct / (double)labels.Length:P2} on {labels.Length} held-out samples"));
            return Summary(context, lines.Count, lines.Count(l => l.Error is not null), failed);
        });
        return command;
    }

    /// <summary>Exit 0 when every sample was answered; 2 when some input lines were bad (each marked in its place) and the
    /// rest answered; 1 when the backend failed samples that were valid input (not the user's doing).</summary>
    private static int Summary(CliContext context, int total, int badLines, int failed)
    {
        var backendFailures = failed - badLines;
        if (badLines > 0) context.Error.WriteLine($"adatape: {badLines} of {total} input lines are not valid samples (see their \"error\" lines); the other {total - badLines} were classified");
        if (backendFailures > 0) context.Error.WriteLine($"adatape: the backend failed {backendFailures} of {total} samples (see their \"error\" lines)");
        return backendFailures > 0 ? ExitCodes.Failure : badLines > 0 ? ExitCodes.BadInput : ExitCodes.Ok;
    }

    /// <summary>`--device` places the TorchSharp backend; ONNX Runtime's device is chosen by `--ep` and `--device-id`.</summary>
    private static Core.Contracts.ComputeDevice TorchDeviceFor(string backend, ParseResult parse, Option<string> device)
    {
        if (backend.Equals("torch", StringComparison.OrdinalIgnoreCase)) return DeviceOption.Resolve(parse, device);
        if (parse.GetValue(device) is { } text && !text.Trim().Equals("cpu", StringComparison.OrdinalIgnoreCase))
            throw new UserError($"--device {text} places the TorchSharp backend (--backend torch); ONNX Runtime's device is chosen by --ep and --device-id");
        return Core.Contracts.ComputeDevice.Cpu;
    }

    /// <summary>The next prediction; a backend that cannot start (no such provider, unreadable weights) is a one-line
    /// error naming the backend.</summary>
    private static bool Next(IEnumerator<Prediction> answers, string backend)
    {
        try { return answers.MoveNext(); }
        catch (UserError e)                                     // other exceptions are internal errors (exit 1)
        {
            throw new UserError($"--backend {backend}: {e.Message}");
        }
    }

    private static (List<InputLine>, int[]) HeldOutParity(RunSpec spec, int count)
    {
        if (spec.Task is not ParityTaskSpec parity) throw new UserError($"--parity-samples needs a parity model; this run's task is {spec.Task.GetType().Name}: use --input FILE");
        if (count < 1 || count > parity.EvalExamples) throw new UserError($"--parity-samples {count}: allowed 1..{parity.EvalExamples} (the held-out set)");
        var (requests, labels) = HeldOutRequests.Take(EvalCommand.LoadData(spec), count);
        return (requests.Select((r, i) => InputLine.Read(i + 1, r)).ToList(), labels);
    }

    /// <summary>The samples of <paramref name="path"/>: per-line results for JSON lines; an image file is read whole (one
    /// unreadable file is one error, exit 2).</summary>
    private static List<InputLine> FromFile(string path, TaskSpec task)
    {
        try
        {
            switch (task)
            {
                case ParityTaskSpec parity:
                    if (!File.Exists(path)) throw new InvalidDataException($"{path} does not exist");
                    using (var reader = File.OpenText(path)) return ParityJsonLines.Read(reader, path, parity.SeqLen);
                case FashionMnistTaskSpec:
                    var images = IdxImages.Load(path);
                    var per = InputShapes.ElementsOf(task);
                    return Enumerable.Range(0, IdxImages.CountOf(images))
                        .Select(i => InputLine.Read(i + 1, new InferenceRequest(i.ToString(CultureInfo.InvariantCulture), images.AsSpan(i * per, per).ToArray()))).ToList();
                default:
                    throw new UserError($"--input: no input format for task {task.GetType().Name}");
            }
        }
        catch (InvalidDataException e) { throw new UserError($"--input {e.Message}"); }
    }
}
