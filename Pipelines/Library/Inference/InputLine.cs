namespace AdaTapeDml.Pipelines.Inference;

/// <summary>One sample of an input file: the request it holds, or why it could not be read. A bad line is answered with
/// its error in its place and costs no other line its answer.</summary>
/// <param name="Number">1-based line number (or sample number for files without lines).</param>
/// <param name="Id">The sample's id; for a line whose id could not be read, "line N".</param>
/// <param name="Request">The request, when the line was read.</param>
/// <param name="Error">"line N: what is wrong and what is allowed", when it was not.</param>
public sealed record InputLine(int Number, string Id, InferenceRequest? Request, string? Error)
{
    public static InputLine Read(int number, InferenceRequest request) => new(number, request.Id, request, null);

    public static InputLine Bad(int number, string? id, string problem) => new(number, id ?? $"line {number}", null, $"line {number}: {problem}");
}
