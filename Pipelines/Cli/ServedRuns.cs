using AdaTapeDml.Pipelines.Inference;
using AdaTapeDml.Pipelines.Specs;
using AdaTapeDml.Pipelines.Training;
using AdaTapeDml.Server;

namespace AdaTapeDml.Cli;

/// <summary>Run folders as served models: the model is named by its folder (or --name), its sessions come from the
/// backend this tool ships under the --backend name, one factory per compute-knob value.</summary>
public static class ServedRuns
{
    public static ModelSource From(CliContext context, string folder, string? name, string backend, string provider, int deviceId)
    {
        var run = new RunDirectory(folder);
        if (!File.Exists(run.Weights)) throw new UserError($"--run {run.Root}: no trained weights ({run.Weights})");
        var spec = RunSpecFile.Load(run.Spec) is { IsOk: true } loaded ? loaded.Value! : throw new UserError($"--run {run.Root}: missing or invalid spec.json");
        var config = new InferenceConfig(run.Weights, backend, provider, deviceId);
        CliBackends.SessionsFor(context, config);                                     // an unknown --backend fails here, once
        var served = name ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)));
        return new ModelSource(served, spec, $"adatapedml_{backend.ToLowerInvariant()}", knob => CliBackends.SessionsFor(context, config with { Tape = knob }));
    }

    /// <summary>Starts the server, turning its start-up errors (bad options, a model that cannot load) into one-line user errors.</summary>
    public static InferenceServer Start(IReadOnlyList<ModelSource> models, ServerOptions options)
    {
        try { return InferenceServer.StartAsync(models, options).GetAwaiter().GetResult(); }
        catch (ArgumentException e) { throw new UserError(e.Message); }
        catch (IOException e) { throw new UserError($"--port {options.Port}: {e.Message}"); }
    }

}
