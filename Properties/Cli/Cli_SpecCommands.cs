using AdaTapeDml.Cli;
using AdaTapeDml.Core.Serialization;
using AdaTapeDml.Pipelines.Specs;

namespace AdaTapeDml.Properties.Cli;

/// <summary>`adatape spec example | validate` run in-process: exit codes, and bad input as one line per problem on stderr,
/// never a stack trace.</summary>
public sealed class Cli_SpecCommands : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("adatape-cli-tests-");

    public void Dispose() => _dir.Delete(recursive: true);

    private static CliRun.Outcome Run(params string[] args) => CliRun.Invoke(args);

    private string WriteFile(string name, string text)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Spec_example_prints_the_default_adatape_parity_spec()
    {
        var r = Run("spec", "example");

        Assert.Equal(ExitCodes.Ok, r.Code);
        Assert.Empty(r.ErrorLines);
        var parsed = RunSpecJson.Parse(r.Out);
        Assert.True(parsed.IsOk, string.Join("; ", parsed.Errors));
        Assert.Equal(ExampleSpecs.For("adatape", "parity"), parsed.Value);
    }

    [Theory]
    [InlineData("adatape", "parity")]
    [InlineData("adatape", "fashion-mnist")]
    [InlineData("transformer", "parity")]
    [InlineData("transformer", "fashion-mnist")]
    [InlineData("ut", "parity")]
    [InlineData("ut", "fashion-mnist")]
    public void Spec_validate_accepts_what_spec_example_prints(string model, string task)
    {
        var example = Run("spec", "example", "--model", model, "--task", task);
        Assert.Equal(ExitCodes.Ok, example.Code);
        var path = WriteFile($"{model}-{task}.json", example.Out);

        var r = Run("spec", "validate", path);

        Assert.Equal(ExitCodes.Ok, r.Code);
        Assert.Empty(r.ErrorLines);
        Assert.StartsWith($"valid: {model}-{task}:", r.Out);
        Assert.Contains("FLOPs/sample", r.Out);
    }

    [Fact]
    public void An_invalid_spec_exits_2_with_one_line_per_error()
    {
        var path = WriteFile("invalid.json", """
            {
              "model": { "kind": "adatape", "encoder": { "heads": 3 }, "tape": { "actEpsilon": 0 } },
              "training": { "batchSize": 0 }
            }
            """);

        var r = Run("spec", "validate", path);

        Assert.Equal(ExitCodes.BadInput, r.Code);
        Assert.Equal("", r.Out);
        Assert.Equal(3, r.ErrorLines.Length);
        Assert.All(r.ErrorLines, line => Assert.StartsWith($"adatape: invalid spec {path}: ", line));
        Assert.Contains(r.ErrorLines, line => line.Contains("model.encoder.width = 128"));
        Assert.Contains(r.ErrorLines, line => line.Contains("model.tape.actEpsilon = 0"));
        Assert.Contains(r.ErrorLines, line => line.Contains("training.batchSize = 0"));
    }

    [Fact]
    public void A_misspelt_field_exits_2_with_a_suggestion()
    {
        var path = WriteFile("misspelt.json", """{ "model": { "kind": "adatape", "tape": { "actEpsilom": 2 } } }""");

        var r = Run("spec", "validate", path);

        Assert.Equal(ExitCodes.BadInput, r.Code);
        var line = Assert.Single(r.ErrorLines);
        Assert.Contains("$.model.tape.actEpsilom", line);
        Assert.Contains("did you mean 'actEpsilon'?", line);
    }

    [Fact]
    public void Malformed_json_exits_2_with_one_line()
    {
        var path = WriteFile("truncated.json", """{ "name": "x", "model": { "kind": "adatape", """);

        var r = Run("spec", "validate", path);

        Assert.Equal(ExitCodes.BadInput, r.Code);
        Assert.Single(r.ErrorLines);
        Assert.Equal("", r.Out);
    }

    [Fact]
    public void A_missing_file_exits_2_with_one_line_naming_it()
    {
        var path = Path.Combine(_dir.FullName, "does-not-exist.json");

        var r = Run("spec", "validate", path);

        Assert.Equal(ExitCodes.BadInput, r.Code);
        Assert.Contains(path, Assert.Single(r.ErrorLines));
    }

    [Theory]
    [InlineData("spec", "frobnicate")]
    [InlineData("frobnicate")]
    [InlineData("spec", "validate")]                          // missing FILE
    [InlineData("spec", "example", "--model", "resnet")]      // not one of adatape, transformer, ut
    [InlineData("spec", "example", "--task", "cifar")]
    [InlineData("spec", "example", "--frobnicate")]
    public void Bad_command_lines_exit_2_with_one_line(params string[] args)
    {
        var r = Run(args);

        Assert.Equal(ExitCodes.BadInput, r.Code);
        Assert.Single(r.ErrorLines);
        Assert.StartsWith("adatape: ", r.ErrorLines[0]);
    }

    [Theory]
    [InlineData("frobnicate", "spec", "frobnicate")]
    [InlineData("resnet", "spec", "example", "--model", "resnet")]
    public void The_error_names_the_offending_word_on_one_clean_line(string word, params string[] args)
    {
        var r = Run(args);

        Assert.Contains($"'{word}'", r.ErrorLines[0]);
        Assert.DoesNotContain("\t", r.ErrorLines[0]);
    }
}
