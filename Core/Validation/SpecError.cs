namespace AdaTapeDml.Core.Validation;

/// <summary>One problem with a spec: where it is, what it holds, and what would be accepted.</summary>
/// <param name="Path">JSON-style field path, e.g. <c>model.tape.actEpsilon</c>.</param>
/// <param name="Value">The offending value as text.</param>
/// <param name="Allowed">What is allowed instead, phrased so the user can fix it.</param>
public sealed record SpecError(string Path, string Value, string Allowed)
{
    public override string ToString() => $"{Path} = {Value}: {Allowed}";
}
