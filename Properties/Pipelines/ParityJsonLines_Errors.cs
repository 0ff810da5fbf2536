using AdaTapeDml.Pipelines.Inference;

namespace AdaTapeDml.Properties.Pipelines;

/// <summary>Reading parity JSON lines: every bad line becomes its own error (line number, what is wrong, what is allowed)
/// under its own id when that could be read, in its place among the good lines; only a file without samples is refused.</summary>
public sealed class ParityJsonLines_Errors
{
    private const int SeqLen = 4;

    private static List<InputLine> Read(params string[] lines) => ParityJsonLines.Read(new StringReader(string.Join("\n", lines)), "in.jsonl", SeqLen);

    [Theory]
    [InlineData("{\"id\": \"a\", \"sequence\": [1, 0, -1]}", "a", "line 2: \"sequence\" has 3 elements; this model reads sequences of length 4")]
    [InlineData("{\"id\": \"a\", \"sequence\": [1, 0, 2, 1]}", "a", "line 2: \"sequence\" element 2 is 2; elements must be -1, 0 or 1")]
    [InlineData("{\"id\": \"a\", \"sequence\": [1, 0, 0.5, 1]}", "a", "line 2: \"sequence\" element 2 is 0.5; elements must be -1, 0 or 1")]
    [InlineData("{\"id\": \"a\", \"sequence\": [1, null, 0, 1]}", "a", "line 2: \"sequence\" element 1 is null; elements must be -1, 0 or 1")]
    [InlineData("{\"id\": \"a\", \"sequence\": null}", "a", "line 2: \"sequence\" must be an array of -1, 0 and 1, got null")]
    [InlineData("{\"id\": \"a\", \"sequense\": [1, 0, -1, 1]}", "a", "line 2: unknown field \"sequense\" (allowed: id, sequence)")]
    [InlineData("{\"id\": \"a\"}", "a", "line 2: missing \"sequence\"")]
    [InlineData("{\"sequence\": [1, 0, -1, 1]}", "line 2", "line 2: missing \"id\"")]
    [InlineData("{\"id\": 7, \"sequence\": [1, 0, -1, 1]}", "line 2", "line 2: \"id\" must be a non-empty string, got 7")]
    [InlineData("{\"id\": \"\", \"sequence\": [1, 0, -1, 1]}", "line 2", "line 2: \"id\" must be a non-empty string, got the string \"\"")]
    [InlineData("null", "line 2", "line 2: expected an object {\"id\": ..., \"sequence\": [...]}, got null")]
    [InlineData("[1, 0, -1, 1]", "line 2", "line 2: expected an object {\"id\": ..., \"sequence\": [...]}, got an array")]
    [InlineData("{\"id\": \"a\", \"sequence\": [1, 0, -1, 1]", "line 2", "line 2: not valid JSON")]
    [InlineData("{\"id\": \"first\", \"sequence\": [0, 0, 0, 0]}", "first", "line 2: id \"first\" was already used on line 1")]
    public void A_bad_line_is_answered_in_its_place_under_its_own_id_and_the_others_are_read(string bad, string id, string error)
    {
        var lines = Read("{\"id\": \"first\", \"sequence\": [1, 0, -1, 1]}", bad, "", "{\"id\": \"last\", \"sequence\": [-1, -1, 0, 1]}");
        Assert.Equal([1, 2, 4], lines.Select(l => l.Number));                     // the blank line 3 is skipped
        var line = lines[1];
        Assert.Null(line.Request);
        Assert.Equal(id, line.Id);
        Assert.StartsWith(error, line.Error);
        Assert.Equal(AdaTapeDml.Core.Tasks.Parity.OneHot([[1, 0, -1, 1]], SeqLen), lines[0].Request!.Input);
        Assert.Equal(AdaTapeDml.Core.Tasks.Parity.OneHot([[-1, -1, 0, 1]], SeqLen), lines[2].Request!.Input);
        Assert.Equal(["first", "last"], lines.Where(l => l.Error is null).Select(l => l.Id));
    }

    [Fact]
    public void A_file_without_samples_is_refused_whole()
    {
        var error = Assert.Throws<InvalidDataException>(() => Read("", "   ", ""));
        Assert.StartsWith("in.jsonl: no samples", error.Message);
    }

    [Fact]
    public void A_file_of_only_bad_lines_is_read_line_by_line()
    {
        var lines = Read("x", "{\"id\": \"b\"}");
        Assert.Equal(["line 1", "b"], lines.Select(l => l.Id));
        Assert.All(lines, l => Assert.NotNull(l.Error));
    }
}
