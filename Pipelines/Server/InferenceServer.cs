using System.Net;
using AdaTapeDml.Pipelines.Inference;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace AdaTapeDml.Server;

/// <summary>The Open Inference Protocol (KServe v2 REST) over Kestrel: health, model metadata and readiness, infer, and
/// Prometheus metrics. Shutting down (SIGTERM, Ctrl-C or <see cref="Stop"/>) turns readiness false and refuses new
/// infer requests, lets every admitted request finish (each bounded by its deadline), then disposes the pipelines.</summary>
public sealed class InferenceServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ModelRegistry registry;
    private volatile bool stopping;

    private InferenceServer(WebApplication app, ModelRegistry registry, ServerMetrics metrics, Admission admission, InferEndpoint infer)
    {
        (this.app, this.registry, Metrics, Admission, Infer) = (app, registry, metrics, admission, infer);
        Completion = RunUntilStopped();
    }

    public ServerMetrics Metrics { get; }
    public Admission Admission { get; }
    public InferEndpoint Infer { get; }

    /// <summary>The bound address, e.g. http://127.0.0.1:8000 (the real port when 0 was asked for).</summary>
    public Uri Address => new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    /// <summary>Ready to take infer requests: every model loaded and not shutting down.</summary>
    public bool IsReady => !stopping;

    /// <summary>Completes when the server has stopped and every pipeline is disposed.</summary>
    public Task Completion { get; }

    /// <summary>Loads every model (their sessions), then listens. Throws <see cref="ArgumentException"/> for bad options
    /// or model names, and whatever a backend throws for a model it cannot load.</summary>
    public static async Task<InferenceServer> StartAsync(IEnumerable<ModelSource> sources, ServerOptions options, CancellationToken cancel = default)
    {
        var problems = options.Problems();
        if (problems.Count > 0) throw new ArgumentException(string.Join("; ", problems));
        var metrics = new ServerMetrics();
        var registry = new ModelRegistry(sources, options, metrics);
        try
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
            // Admitted requests finish within their deadline; the host waits that long (and a little) before giving up.
            builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = options.RequestDeadline + TimeSpan.FromSeconds(5));
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                kestrel.Listen(IPAddress.Parse(options.Host), options.Port);
                kestrel.Limits.MaxRequestBodySize = BoundedBody.HardLimit(options.MaxBodyBytes);   // the endpoint enforces MaxBodyBytes
                kestrel.AddServerHeader = false;
            });
            var app = builder.Build();
            var admission = new Admission(options.MaxInFlight);
            InferenceServer? server = null;
            var infer = new InferEndpoint(registry, admission, metrics, options, () => server?.IsReady ?? false);
            server = new InferenceServer(app, registry, metrics, admission, infer);
            app.Lifetime.ApplicationStopping.Register(() => server.stopping = true);
            server.Map();
            await app.StartAsync(cancel).ConfigureAwait(false);
            return server;
        }
        catch
        {
            registry.Dispose();
            throw;
        }
    }

    /// <summary>Starts the graceful shutdown, as SIGTERM does; await <see cref="Completion"/> for its end.</summary>
    public void Stop() => app.Lifetime.StopApplication();

    private void Map()
    {
        app.MapGet("/v2", context => ProtocolJson.ServerMetadata(context));
        app.MapGet("/v2/health/live", context => ProtocolJson.Flag(context, 200, "live", true));
        app.MapGet("/v2/health/ready", context => ProtocolJson.Flag(context, IsReady ? 200 : 503, "ready", IsReady));
        app.MapGet("/v2/models/{name}", context => WithModel(context, model => ProtocolJson.Metadata(context, model)));
        app.MapGet("/v2/models/{name}/ready", context => WithModel(context, _ => ProtocolJson.Flag(context, IsReady ? 200 : 503, "ready", IsReady)));
        app.MapPost("/v2/models/{name}/infer", Infer.Handle);
        app.MapMetrics("/metrics", Metrics.Registry);
        app.MapFallback(context => ProtocolJson.Error(context, 404,
            $"no endpoint {context.Request.Method} {context.Request.Path}; see GET /v2/health/live, /v2/health/ready, /v2/models/NAME[/ready], POST /v2/models/NAME/infer, GET /metrics"));
    }

    private Task WithModel(HttpContext context, Func<ServedModel, Task> answer) =>
        registry.Find((string)context.Request.RouteValues["name"]!) is { } model
            ? answer(model)
            : ProtocolJson.Error(context, 404, $"model \"{context.Request.RouteValues["name"]}\" is not served; served: {string.Join(", ", registry.Models.Select(m => m.Name))}");

    private async Task RunUntilStopped()
    {
        await Task.Yield();
        await app.WaitForShutdownAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
        registry.Dispose();
        Admission.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        Stop();
        await Completion.ConfigureAwait(false);
    }
}
