using System.CommandLine;
using AdaTapeDml.Backends.Onnx.Export;
using AdaTapeDml.Backends.Onnx.Graph;
using AdaTapeDml.Backends.Onnx.Runtime;
using AdaTapeDml.Pipelines;
using AdaTapeDml.Pipelines.Training;
using Microsoft.ML.OnnxRuntime;

namespace AdaTapeDml.Cli.Commands;

/// <summary>`adatape export onnx --run DIR --out DIR`: compiles the run's spec and weights into self-contained ONNX graphs
/// (read.onnx, encode.onnx and full.onnx for AdaTape; full.onnx for the baselines) and a manifest.json. Every graph is
/// checked against the DirectML rules and loaded by ONNX Runtime before anything is written; each file is written
/// atomically and the manifest last, so a folder with a manifest holds complete graphs.</summary>
public static class ExportCommand
{
    public static Command Create(CliContext context)
    {
        var export = new Command("export", "Export a trained model to other runtimes.");
        var runOption = new Option<string>("--run") { Description = "Run folder of a trained model.", Required = true };
        var outOption = new Option<string>("--out") { Description = "Folder for the .onnx files and manifest.json.", Required = true };
        var onnx = new Command("onnx", "ONNX graphs (opset 17, DirectML operators only) + manifest.json.") { runOption, outOption };
        onnx.SetAction(parse =>
        {
            var run = new RunDirectory(parse.GetValue(runOption)!);
            if (!File.Exists(run.Weights)) throw new UserError($"--run {run.Root}: no trained weights ({run.Weights})");
            var outDir = OutputFolder.Prepare(parse.GetValue(outOption)!, "--out");
            var compiled = OnnxInferenceSession.Compile(run.Weights);
            IReadOnlyList<(string FileName, byte[] Bytes)> graphs;
            try { graphs = OnnxExport.Graphs(compiled); }
            catch (UnsupportedOperatorException e) { throw new UserError($"export onnx: {e.Message}"); }
            foreach (var (fileName, bytes) in graphs) LoadCheck(fileName, bytes);
            foreach (var (fileName, bytes) in graphs) AtomicFile.WriteAllBytes(Path.Combine(outDir, fileName), bytes);
            AtomicFile.WriteAllText(Path.Combine(outDir, OnnxExport.ManifestFile), OnnxExport.Manifest(compiled));
            context.Out.WriteLine($"exported {compiled.Spec.Name}: {string.Join(", ", graphs.Select(g => $"{g.FileName} ({g.Bytes.Length / 1024.0:F0} KiB)"))}, {OnnxExport.ManifestFile} -> {outDir}");
            return ExitCodes.Ok;
        });
        export.Subcommands.Add(onnx);
        return export;
    }

    /// <summary>ONNX Runtime's own loading (graph resolution and shape inference) must accept the graph.</summary>
    private static void LoadCheck(string fileName, byte[] bytes)
    {
        try
        {
            using var options = new SessionOptions();
            using var _ = new InferenceSession(bytes, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidOperationException($"export onnx: ONNX Runtime refused the generated {fileName}: {e.Message}");
        }
    }
}
