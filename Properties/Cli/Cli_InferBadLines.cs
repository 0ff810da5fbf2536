using System.Text.Json;
using AdaTapeDml.Cli;

namespace AdaTapeDml.Properties.Cli;

/// <summary>`adatape infer --input FILE` on a file mixing good and bad lines: every good line is answered as it would be
/// alone, every bad line gets {"id", "error"} with its line number in its place, a summary goes to stderr and the exit
/// code is 2 so scripts notice. A file that cannot be read at all stays a one-line error.</summary>
public sealed class Cli_InferBadLines(TinyTrainedRun trained) : IClassFixture<TinyTrainedRun>
{
    private static readonly string[] Good =
    [
        "{\"id\": \"g1\", \"sequence\": [1, 0, -1, 1, 1, 0]}",
        "{\"id\": \"g2\", \"sequence\": [0, 0, 0, 0, 0, 0]}",
        "{\"id\": \"g3\", \"sequence\": [1, 1, 1, 1, 1, 1]}",
        "{\"id\": \"g4\", \"sequence\": [-1, 1, 0, 0, 1, -1]}",
    ];

    private string Write(string text)
    {
        var path = Path.Combine(trained.Root, $"in{Guid.NewGuid():N}.jsonl");
        File.WriteAllText(path, text);
        return path;
    }

    private static List<JsonElement> Lines(CliRun.Outcome outcome) => outcome.OutLines.Select(l => JsonDocument.Parse(l).RootElement).ToList();

    [Fact]
    public void Every_good_line_is_answered_and_every_bad_one_is_marked_in_its_place_with_exit_2()
    {
        string[] mixed =
        [
            Good[0],
            "{\"id\": \"short\", \"sequence\": [1, 0, -1]}",                         // line 2: wrong length
            Good[1],
            "{\"id\": \"two\", \"sequence\": [1, 0, 2, 1, 1, 0]}",                   // line 4: a value outside {-1, 0, 1}
            "null",                                                                 // line 5
            "{\"id\": \"g1\", \"sequence\": [0, 0, 0, 0, 0, 1]}",                   // line 6: duplicate id
            "{\"sequence\": [0, 0, 0, 0, 0, 1]}",                                  // line 7: no id
            "{\"id\": \"broken\", \"sequence\": [1, 0,",                            // line 8: not JSON
            Good[2],
            Good[3],
        ];
        var result = CliRun.Invoke("infer", "--run", trained.Run, "--input", Write(string.Join("\n", mixed)), "--batch", "3");
        var clean = CliRun.Invoke("infer", "--run", trained.Run, "--input", Write(string.Join("\n", Good)), "--batch", "3");
        Assert.True(clean.Code == 0, clean.Error);

        Assert.Equal(ExitCodes.BadInput, result.Code);
        var lines = Lines(result);
        Assert.Equal(["g1", "short", "g2", "two", "line 5", "g1", "line 7", "line 8", "g3", "g4"], lines.Select(l => l.GetProperty("id").GetString()));
        string?[] errors = [.. lines.Select(l => l.TryGetProperty("error", out var e) ? e.GetString() : null)];
        Assert.Equal([0, 2, 8, 9], Enumerable.Range(0, errors.Length).Where(i => errors[i] is null));
        Assert.StartsWith("line 2: \"sequence\" has 3 elements; this model reads sequences of length 6", errors[1]);
        Assert.StartsWith("line 4: \"sequence\" element 2 is 2; elements must be -1, 0 or 1", errors[3]);
        Assert.StartsWith("line 5: expected an object", errors[4]);
        Assert.StartsWith("line 6: id \"g1\" was already used on line 1", errors[5]);
        Assert.StartsWith("line 7: missing \"id\"", errors[6]);
        Assert.StartsWith("line 8: not valid JSON", errors[7]);
        // The good lines are answered exactly as in a file without the bad ones.
        Assert.Equal(clean.OutLines, new[] { 0, 2, 8, 9 }.Select(i => result.OutLines[i]));
        Assert.Equal("adatape: 6 of 10 input lines are not valid samples (see their \"error\" lines); the other 4 were classified", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public void A_file_of_only_bad_lines_answers_each_with_its_error_and_exits_2()
    {
        var result = CliRun.Invoke("infer", "--run", trained.Run, "--input", Write("[1, 0]\n{\"id\": \"x\", \"sequence\": []}\n"));
        Assert.Equal(ExitCodes.BadInput, result.Code);
        Assert.Equal(["line 1", "x"], Lines(result).Select(l => l.GetProperty("id").GetString()));
        Assert.All(Lines(result), l => Assert.StartsWith("line ", l.GetProperty("error").GetString()));
    }

    [Theory]
    [InlineData("\n\n", "no samples")]
    [InlineData(null, "does not exist")]
    public void A_file_without_samples_or_a_missing_file_is_a_one_line_error(string? text, string expected)
    {
        var path = text is null ? Path.Combine(trained.Root, "missing.jsonl") : Write(text);
        CliRun.AssertOneLineError(CliRun.Invoke("infer", "--run", trained.Run, "--input", path), expected);
    }
}
