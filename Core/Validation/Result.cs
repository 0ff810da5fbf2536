namespace AdaTapeDml.Core.Validation;

/// <summary>A value or the list of everything that is wrong with it: errors as values, never exceptions.</summary>
public sealed record Result<T>
{
    private Result(T? value, IReadOnlyList<SpecError> errors) => (Value, Errors) = (value, errors);

    /// <summary>The value when <see cref="IsOk"/>; default otherwise.</summary>
    public T? Value { get; }

    /// <summary>Every problem found; empty when <see cref="IsOk"/>.</summary>
    public IReadOnlyList<SpecError> Errors { get; }

    public bool IsOk => Errors.Count == 0;

    public static Result<T> Ok(T value) => new(value, []);
    public static Result<T> Fail(params SpecError[] errors) => new(default, errors);
    public static Result<T> Fail(IReadOnlyList<SpecError> errors) => new(default, errors);

    /// <summary>The value, or a <see cref="UserError"/> "<paramref name="context"/>: first problem".</summary>
    public T OrThrow(string context) => IsOk ? Value! : throw new UserError($"{context}: {Errors[0]}");
}
