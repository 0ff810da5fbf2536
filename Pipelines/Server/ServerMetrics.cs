using Prometheus;

namespace AdaTapeDml.Server;

/// <summary>The server's Prometheus metrics, in a registry of its own (several servers may share a process, as in tests).
/// Names follow Prometheus conventions: base units, _total counters, _seconds durations.</summary>
public sealed class ServerMetrics
{
    public CollectorRegistry Registry { get; } = Metrics.NewCustomRegistry();

    private readonly Counter requests;
    private readonly Histogram duration, batchSize, tapeLength;
    private readonly Gauge inFlight;
    private readonly Counter encodeCalls;

    public ServerMetrics()
    {
        var factory = Metrics.WithCustomRegistry(Registry);
        requests = factory.CreateCounter("adatape_inference_requests_total", "Infer requests answered, by model and HTTP status.", ["model", "status"]);
        duration = factory.CreateHistogram("adatape_inference_request_duration_seconds", "Infer request latency from arrival to answer, by model and HTTP status.",
            ["model", "status"], new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.0005, 2, 16) });
        inFlight = factory.CreateGauge("adatape_inference_requests_in_flight", "Infer requests admitted and not yet answered (all models).");
        batchSize = factory.CreateHistogram("adatape_micro_batch_size", "Samples per micro-batch (one READ or padded run), by model.",
            ["model"], new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(1, 2, 11) });
        tapeLength = factory.CreateHistogram("adatape_tape_length", "Tape tokens read per sample, by model.",
            ["model"], new HistogramConfiguration { Buckets = Histogram.LinearBuckets(0, 1, 33) });
        encodeCalls = factory.CreateCounter("adatape_encode_calls_total",
            "ENCODE calls (one per tape-length group), by model; divided by adatape_micro_batch_size_count it is groups per micro-batch.", ["model"]);
    }

    public void Answered(string model, int status, TimeSpan elapsed)
    {
        var code = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        requests.WithLabels(model, code).Inc();
        duration.WithLabels(model, code).Observe(elapsed.TotalSeconds);
    }

    public void InFlight(int count) => inFlight.Set(count);
    public void MicroBatch(string model, int samples) => batchSize.WithLabels(model).Observe(samples);
    public void TapeLength(string model, int length) => tapeLength.WithLabels(model).Observe(length);
    public void Encoded(string model) => encodeCalls.WithLabels(model).Inc();
}
