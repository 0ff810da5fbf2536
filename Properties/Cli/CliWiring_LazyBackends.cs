using System.Reflection;
using System.Runtime.Loader;
using AdaTapeDml.Cli;

namespace AdaTapeDml.Properties.Cli;

/// <summary>Commands that need no backend load none: `adatape --help` and `spec example` run without TorchSharp or ONNX
/// Runtime being loaded (their native libraries cost most of a cold start). The CLI runs in its own load context, which
/// records every non-framework assembly it asks for; the test process itself has TorchSharp loaded already.</summary>
public sealed class CliWiring_LazyBackends
{
    private sealed class RecordingContext(string mainAssembly) : AssemblyLoadContext("adatape-cli-wiring", isCollectible: true)
    {
        private readonly AssemblyDependencyResolver resolver = new(mainAssembly);
        public List<string> Requested { get; } = [];

        protected override Assembly? Load(AssemblyName name)
        {
            lock (Requested) Requested.Add(name.Name!);
            return resolver.ResolveAssemblyToPath(name) is { } path ? LoadFromAssemblyPath(path) : null;   // null: the framework's
        }
    }

    private static (int Code, string Out, List<string> Requested) RunIsolated(params string[] args)
    {
        var context = new RecordingContext(typeof(CliWiring_LazyBackends).Assembly.Location);
        try
        {
            var cli = context.LoadFromAssemblyName(typeof(AdaTapeCli).Assembly.GetName());
            var contextType = cli.GetType(typeof(CliContext).FullName!, throwOnError: true)!;
            using var output = new StringWriter();
            using var error = new StringWriter();
            var cliContext = Activator.CreateInstance(contextType, output, error);
            var run = cli.GetType(typeof(AdaTapeCli).FullName!, throwOnError: true)!.GetMethod(nameof(AdaTapeCli.Run))!;
            var code = (int)run.Invoke(null, [args, cliContext])!;
            Assert.True(error.ToString().Length == 0, error.ToString());
            lock (context.Requested) return (code, output.ToString(), [.. context.Requested]);
        }
        finally
        {
            context.Unload();
        }
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("spec", "example")]
    [InlineData("spec", "example", "--model", "ut", "--task", "fashion-mnist")]
    public void Commands_without_a_backend_load_no_backend(params string[] args)
    {
        var (code, output, requested) = RunIsolated(args);
        Assert.Equal(0, code);
        Assert.NotEmpty(output);
        Assert.Contains("System.CommandLine", requested);                       // the recorder sees package assemblies ...
        if (args[0] == "spec") Assert.Contains("AdaTapeDml.Core", requested);  // ... and ours (the spec lives in Core)
        Assert.DoesNotContain(requested, name => name.Contains("TorchSharp", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(requested, name => name.Contains("OnnxRuntime", StringComparison.OrdinalIgnoreCase));
    }
}
