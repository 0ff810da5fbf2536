using System.Text.RegularExpressions;

namespace AdaTapeDml.Server;

/// <summary>The served models by name. Every model's pipeline and sessions are made here, before the server listens:
/// a model that cannot load stops the start with its error instead of answering 503 forever.</summary>
public sealed partial class ModelRegistry : IDisposable
{
    private readonly Dictionary<string, ServedModel> models = new(StringComparer.Ordinal);

    public ModelRegistry(IEnumerable<ModelSource> sources, ServerOptions options, ServerMetrics metrics)
    {
        try
        {
            foreach (var source in sources)
            {
                if (!UrlSafe().IsMatch(source.Name))
                    throw new ArgumentException($"model name \"{source.Name}\": allowed letters, digits, '.', '_' and '-' (it is part of the URL)");
                if (models.ContainsKey(source.Name)) throw new ArgumentException($"model name \"{source.Name}\" is given twice; name each model differently");
                models[source.Name] = new ServedModel(source, options, metrics);
            }
            if (models.Count == 0) throw new ArgumentException("no model to serve");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public IReadOnlyCollection<ServedModel> Models => models.Values;

    public ServedModel? Find(string name) => models.GetValueOrDefault(name);

    public void Dispose()
    {
        foreach (var model in models.Values) model.Dispose();
        models.Clear();
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,128}$")]
    private static partial Regex UrlSafe();
}
