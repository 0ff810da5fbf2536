namespace AdaTapeDml.Pipelines.Inference;

/// <summary>Knobs of the elastic inference pipeline.</summary>
/// <param name="MaxBatchSize">Requests per READ micro-batch. 64: large enough for efficient kernels, small for latency.</param>
/// <param name="MaxBatchDelay">Longest a request waits for its micro-batch to fill. 2 ms.</param>
/// <param name="Grouping">Grouping of tape lengths, for <see cref="ElasticExecution.Grouped"/> only.</param>
/// <param name="Sessions">Backend sessions run concurrently, each on its own thread (one Run at a time per session).</param>
/// <param name="MaxInFlight">Requests admitted but not yet answered; producers wait beyond it (backpressure).</param>
/// <param name="Ordered">Emit predictions in request arrival order (else as soon as each is ready).</param>
/// <param name="BatchDeadline">Longest one micro-batch may spend in its session. Past it the batch's requests are answered
/// with an error naming the deadline and the hung session is retired (a fresh one on a new thread replaces it). 30 s:
/// far beyond any healthy batch (milliseconds), short enough that a hung GPU driver does not hold requests forever.</param>
/// <param name="Execution">How ENCODE runs a micro-batch. Auto: one packed or padded call, whichever the calibrated cost
/// model expects to be faster for that micro-batch (a user never gets the slower of the two).</param>
public sealed record ElasticOptions(
    int MaxBatchSize = 64,
    TimeSpan? MaxBatchDelay = null,
    LengthGrouping? Grouping = null,
    int Sessions = 1,
    int MaxInFlight = 1024,
    bool Ordered = false,
    TimeSpan? BatchDeadline = null,
    ElasticExecution Execution = ElasticExecution.Auto)
{
    public TimeSpan BatchDelay => MaxBatchDelay ?? TimeSpan.FromMilliseconds(2);
    public TimeSpan Deadline => BatchDeadline ?? TimeSpan.FromSeconds(30);
    public LengthGrouping LengthGroups => Grouping ?? LengthGrouping.Exact;

    /// <summary>Problems with the options, one line each (empty when valid).</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (MaxBatchSize < 1) problems.Add($"maxBatchSize = {MaxBatchSize}: must be >= 1");
        if (BatchDelay < TimeSpan.Zero) problems.Add($"maxBatchDelay = {BatchDelay}: must be >= 0");
        if (Deadline <= TimeSpan.Zero) problems.Add($"batchDeadline = {Deadline}: must be > 0");
        if (LengthGroups.Width < 1) problems.Add($"grouping width = {LengthGroups.Width}: must be >= 1");
        if (Sessions < 1) problems.Add($"sessions = {Sessions}: must be >= 1");
        if (!Enum.IsDefined(Execution)) problems.Add($"execution = {(int)Execution}: must be auto, packed, padded or grouped");
        if (MaxInFlight < MaxBatchSize) problems.Add($"maxInFlight = {MaxInFlight}: must be >= maxBatchSize ({MaxBatchSize})");
        return problems;
    }
}
