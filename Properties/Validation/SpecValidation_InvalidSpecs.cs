using AdaTapeDml.Core.Validation;

namespace AdaTapeDml.Properties.Validation;

/// <summary>Validation answers every broken spec with errors that name the broken fields, each with its value and a
/// fix, whether one rule is broken or several, on any valid spec underneath; it returns errors, it never throws.</summary>
public sealed class SpecValidation_InvalidSpecs(ITestOutputHelper output)
{
    private static IReadOnlyList<SpecError> ValidateWithoutThrowing(InvalidSpec c)
    {
        var errors = SpecValidator.Validate(c.Spec);                       // an exception fails the property as it is
        Assert.All(errors, e => Assert.False(string.IsNullOrWhiteSpace(e.Value) || string.IsNullOrWhiteSpace(e.Allowed), $"empty value or fix in {e}"));
        return errors;
    }

    private static void AssertNamed(InvalidSpec c, IReadOnlyList<SpecError> errors)
    {
        var named = errors.Select(e => e.Path).ToHashSet();
        foreach (var path in c.ExpectedPaths)
            Assert.True(named.Contains(path), $"no error names {path}; got: {string.Join("; ", errors)}");
    }

    [Fact]
    public void A_rule_broken_alone_on_any_valid_spec_yields_an_error_naming_its_field() =>
        PropertyCheck.ForAll(InvalidSpecs.Alone(), c => AssertNamed(c, ValidateWithoutThrowing(c)), output, cases: 500);

    [Fact]
    public void Rules_broken_together_are_each_named_in_one_answer() =>
        PropertyCheck.ForAll(InvalidSpecs.Combined(), c => AssertNamed(c, ValidateWithoutThrowing(c)), output, cases: 500);

    [Fact]
    public void Every_generated_valid_spec_passes_validation() =>
        PropertyCheck.ForAll(ValidSpecs.Any(), spec => Assert.Empty(SpecValidator.Validate(spec)), output, cases: 500);
}
