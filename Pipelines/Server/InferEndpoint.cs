using System.Diagnostics;
using System.Globalization;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using System.Text.Json;
using AdaTapeDml.Pipelines.Inference;
using Microsoft.AspNetCore.Http;

namespace AdaTapeDml.Server;

/// <summary>POST /v2/models/{name}/infer: find the model (404), refuse while shutting down (503), admit or refuse at once
/// (429 + Retry-After), read and check the body (413, 400), run every sample through the model's pipeline under the
/// request's deadline (504) and the client's connection (a client that leaves cancels the wait), answer (200).</summary>
public sealed class InferEndpoint(ModelRegistry registry, Admission admission, ServerMetrics metrics, ServerOptions options, Func<bool> accepting)
{
    /// <summary>HTTP status logged when the client disconnected before its answer (nginx's convention; nothing is sent).</summary>
    public const int ClientClosed = 499;

    private readonly Subject<(string Model, int Status)> answered = new();

    /// <summary>Every infer request's model and final status, as it is answered (tests wait on it instead of on time).</summary>
    public IObservable<(string Model, int Status)> Answered => answered.AsObservable();

    public async Task Handle(HttpContext context)
    {
        var clock = Stopwatch.StartNew();
        var name = (string)context.Request.RouteValues["name"]!;
        var status = await Answer(context, name).ConfigureAwait(false);
        var known = registry.Find(name) is not null;
        metrics.Answered(known ? name : "", status, clock.Elapsed);    // unknown names share one label: no label explosion
        lock (answered) answered.OnNext((name, status));
    }

    private async Task<int> Answer(HttpContext context, string name)
    {
        if (registry.Find(name) is not { } model)
            return await Fail(context, 404, $"model \"{name}\" is not served; served: {string.Join(", ", registry.Models.Select(m => m.Name))}");
        if (!accepting()) return await Fail(context, 503, "the server is shutting down; send the request to another replica");
        if (!admission.TryEnter()) return await Busy(context, $"{admission.Limit} requests are in flight (--max-in-flight); retry after 1 s");
        metrics.InFlight(admission.InFlight);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        deadline.CancelAfter(options.RequestDeadline);
        try
        {
            var request = InferRequestParser.Parse(await ReadBody(context, deadline.Token).ConfigureAwait(false), model.Spec);
            using var lease = model.Acquire(request.Knob);
            if (lease is null) return await Busy(context, $"every pipeline for other compute-knob values ({options.KnobPipelines}) is in use; retry after 1 s");
            var predictions = await Task.WhenAll(request.Samples.Select((sample, i) =>
                lease.Pipeline.PredictAsync(new InferenceRequest(i.ToString(CultureInfo.InvariantCulture), sample), deadline.Token))).ConfigureAwait(false);
            if (predictions.FirstOrDefault(p => p.IsError) is { } failed) return await Fail(context, 500, $"sample {failed.Id}: {failed.Error}");
            foreach (var p in predictions) metrics.TapeLength(name, p.TapeLength);
            await ProtocolJson.Response(context, name, request, predictions).ConfigureAwait(false);
            return 200;
        }
        // A client that left (while its body was read or its answer awaited) gets nothing: there is no one to send it to.
        catch (Exception e) when (e is not OutOfMemoryException && context.RequestAborted.IsCancellationRequested) { return ClientClosed; }
        catch (ProtocolException e) { return await Fail(context, e.Status, e.Message); }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            // The gRPC mapping of DEADLINE_EXCEEDED; the protocol itself names no timeout status.
            return await Fail(context, 504, $"the request's deadline of {options.RequestDeadline.TotalSeconds:0.###} s passed before its answer (--deadline)");
        }
        catch (OperationCanceledException) { return await Fail(context, 503, "the model's pipeline stopped before answering; the server is shutting down"); }
        catch (Exception e) when (e is not OutOfMemoryException) { return await Fail(context, 500, $"inference failed: {e.Message.ReplaceLineEndings(" ")}"); }
        finally
        {
            admission.Exit();
            metrics.InFlight(admission.InFlight);
        }
    }

    private async Task<JsonElement> ReadBody(HttpContext context, CancellationToken cancel)
    {
        using var body = await BoundedBody.Read(context.Request, options.MaxBodyBytes, cancel).ConfigureAwait(false) ?? throw TooLarge();
        try
        {
            using var document = await JsonDocument.ParseAsync(body, default, cancel).ConfigureAwait(false);
            return document.RootElement.Clone();
        }
        catch (JsonException e) { throw ProtocolException.BadRequest($"the request body is not valid JSON: {e.Message.Split(" Path:")[0].Split(" LineNumber:")[0]}"); }
    }

    private ProtocolException TooLarge() => new(413, $"the request body is larger than {options.MaxBodyBytes} bytes (--max-body-bytes); send fewer samples per request");

    private static async Task<int> Busy(HttpContext context, string message)
    {
        context.Response.Headers.RetryAfter = "1";
        return await Fail(context, 429, message).ConfigureAwait(false);
    }

    private static async Task<int> Fail(HttpContext context, int status, string message)
    {
        await ProtocolJson.Error(context, status, message).ConfigureAwait(false);
        return status;
    }
}
