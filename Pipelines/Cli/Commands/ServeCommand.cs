using System.CommandLine;
using System.Globalization;
using AdaTapeDml.Pipelines.Inference;
using AdaTapeDml.Server;

namespace AdaTapeDml.Cli.Commands;

/// <summary>`adatape serve --run DIR [--run DIR2 ...]`: serves each run's model over the Open Inference Protocol (KServe v2
/// REST) until SIGTERM or Ctrl-C, then drains admitted requests, disposes the sessions and exits 0.</summary>
public static class ServeCommand
{
    public static Command Create(CliContext context)
    {
        var runs = new Option<string[]>("--run") { Description = "Run folder of a trained model; repeat to serve several.", Required = true, AllowMultipleArgumentsPerToken = false };
        var names = new Option<string[]>("--name") { Description = "Served name of the model of the --run in the same position (default: the folder's name)." };
        var backend = new Option<string>("--backend") { Description = "Inference backend: torch or onnx.", DefaultValueFactory = _ => "torch" };
        var ep = new Option<string>("--ep") { Description = "ONNX Runtime execution provider: cpu, directml or cuda.", DefaultValueFactory = _ => "cpu" };
        var deviceId = new Option<int>("--device-id") { Description = "GPU index for directml or cuda.", DefaultValueFactory = _ => 0 };
        var host = new Option<string>("--host") { Description = "Address to listen on.", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "TCP port (0 = any free port).", DefaultValueFactory = _ => 8000 };
        var maxBatch = new Option<int>("--max-batch") { Description = "Samples per micro-batch of each model's elastic pipeline.", DefaultValueFactory = _ => 64 };
        var maxInFlight = new Option<int>("--max-in-flight") { Description = "Requests admitted at once over all models; more get 429 with Retry-After.", DefaultValueFactory = _ => 64 };
        var maxBody = new Option<long>("--max-body-bytes") { Description = "Largest request body; larger ones get 413.", DefaultValueFactory = _ => 4L << 20 };
        var deadline = new Option<double>("--deadline") { Description = "Seconds a request may take before it is answered 504.", DefaultValueFactory = _ => 30 };
        var command = new Command("serve", "Serve trained models over the Open Inference Protocol (KServe v2 REST) with Prometheus /metrics.")
            { runs, names, backend, ep, deviceId, host, port, maxBatch, maxInFlight, maxBody, deadline };
        command.SetAction(parse =>
        {
            var (folders, served) = (parse.GetValue(runs)!, parse.GetValue(names) ?? []);
            if (served.Length > folders.Length) throw new UserError($"{served.Length} --name values for {folders.Length} --run folders; give at most one --name per --run");
            var backendName = parse.GetValue(backend)!;
            var provider = ExecutionProviderOption.Check(backendName, parse.GetValue(ep)!);
            if (!System.Net.IPAddress.TryParse(parse.GetValue(host), out _)) throw new UserError($"--host {parse.GetValue(host)}: an IP address, e.g. 127.0.0.1 or 0.0.0.0");
            if (parse.GetValue(maxBatch) < 1) throw new UserError($"--max-batch {parse.GetValue(maxBatch)}: must be >= 1");
            var models = folders.Select((f, i) => ServedRuns.From(context, f, i < served.Length ? served[i] : null, backendName, provider, parse.GetValue(deviceId))).ToList();
            var options = new ServerOptions(parse.GetValue(host)!, parse.GetValue(port), parse.GetValue(maxInFlight), parse.GetValue(maxBody),
                TimeSpan.FromSeconds(parse.GetValue(deadline)), new ElasticOptions(MaxBatchSize: parse.GetValue(maxBatch), MaxInFlight: Math.Max(1024, parse.GetValue(maxBatch))));
            var server = ServedRuns.Start(models, options);
            foreach (var model in models)
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"serving {model.Name} ({model.Platform}) at {server.Address}v2/models/{model.Name}"));
            context.Out.WriteLine($"metrics at {server.Address}metrics; stop with Ctrl-C or SIGTERM");
            context.Out.Flush();
            server.Completion.GetAwaiter().GetResult();                       // the host's console lifetime ends it on SIGTERM / Ctrl-C
            context.Out.WriteLine("stopped: every admitted request answered, sessions disposed");
            return ExitCodes.Ok;
        });
        return command;
    }
}
