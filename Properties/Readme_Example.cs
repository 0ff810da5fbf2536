namespace AdaTapeDml.Properties;

/// <summary>The README's app example is the compiled Pipelines/Example/Program.cs, quoted verbatim: the documented code
/// builds with the solution and cannot drift from it.</summary>
public sealed class Readme_Example
{
    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AdaTapeDml.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new DirectoryNotFoundException("AdaTapeDml.sln not found above the test binaries");
    }

    [Fact]
    public void The_readme_quotes_the_compiled_example_verbatim()
    {
        var root = RepositoryRoot();
        var readme = File.ReadAllText(Path.Combine(root, "README.md")).ReplaceLineEndings("\n");
        const string marker = "<!-- example: Pipelines/Example/Program.cs -->\n```csharp\n";
        var start = readme.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md lost the example marker");
        start += marker.Length;
        var quoted = readme[start..readme.IndexOf("```", start, StringComparison.Ordinal)];
        var program = File.ReadAllText(Path.Combine(root, "Pipelines", "Example", "Program.cs")).ReplaceLineEndings("\n");
        Assert.Equal(program, quoted);
    }
}
