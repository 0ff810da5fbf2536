using AdaTapeDml.Pipelines.Inference;

namespace AdaTapeDml.Server;

/// <summary>Knobs of `adatape serve`.</summary>
/// <param name="Host">Address to listen on. 127.0.0.1: serving beyond the machine is a deployment's explicit choice.</param>
/// <param name="Port">TCP port; 0 picks a free one (tests). 8000: KServe's and Triton's HTTP port.</param>
/// <param name="MaxInFlight">Requests admitted at once over all models (one machine's cores serve them all); the next one
/// gets 429 at once. 64: four times a 16-client load, so a normal load never sees 429.</param>
/// <param name="MaxBodyBytes">Largest request body; more gets 413. 4 MiB: a batch of 256 images as JSON numbers.</param>
/// <param name="Deadline">Longest a request may take from admission to answer; then 504. 30 s.</param>
/// <param name="Pipeline">Each model's elastic pipeline (micro-batch size, sessions, the pipeline's own sample bound).</param>
/// <param name="KnobPipelines">Pipelines per model for compute-knob values other than the trained one, kept at once.
/// 4: a few operating points; each holds its own sessions.</param>
public sealed record ServerOptions(
    string Host = "127.0.0.1",
    int Port = 8000,
    int MaxInFlight = 64,
    long MaxBodyBytes = 4 << 20,
    TimeSpan? Deadline = null,
    ElasticOptions? Pipeline = null,
    int KnobPipelines = 4)
{
    public TimeSpan RequestDeadline => Deadline ?? TimeSpan.FromSeconds(30);
    public ElasticOptions PipelineOptions => Pipeline ?? new ElasticOptions();

    /// <summary>Problems with the options, one line each, named as the command's options (empty when valid).</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Port is < 0 or > 65535) problems.Add($"--port {Port}: allowed 0..65535");
        if (MaxInFlight < 1) problems.Add($"--max-in-flight {MaxInFlight}: must be >= 1");
        if (MaxBodyBytes < 1024) problems.Add($"--max-body-bytes {MaxBodyBytes}: must be >= 1024");
        if (RequestDeadline <= TimeSpan.Zero) problems.Add($"--deadline {RequestDeadline.TotalSeconds}: must be > 0 seconds");
        if (KnobPipelines < 0) problems.Add($"knob pipelines {KnobPipelines}: must be >= 0");
        problems.AddRange(PipelineOptions.Problems());
        return problems;
    }
}
