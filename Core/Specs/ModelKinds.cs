using System.Diagnostics.Contracts;

namespace AdaTapeDml.Core.Specs;

/// <summary>The one vocabulary of model kinds: the words the CLI accepts, spec JSON's "kind", results.json's "kind" and
/// the ONNX manifest's "modelKind" all come from here. Old spellings are read as aliases and never printed.</summary>
public static class ModelKinds
{
    public const string AdaTape = "adatape";
    public const string Transformer = "transformer";
    public const string UniversalTransformer = "ut";
    public const string Avit = "avit";

    /// <summary>Every kind this build has, in the order they are listed to users.</summary>
    public static readonly IReadOnlyList<string> All = [AdaTape, Transformer, UniversalTransformer, Avit];

    /// <summary>Spellings of earlier versions, read as the kind they name (spec files and manifests written before the
    /// vocabulary was unified said "universalTransformer").</summary>
    public static readonly IReadOnlyDictionary<string, string> Aliases = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["universalTransformer"] = UniversalTransformer,
    };

    /// <summary>The printed name of a model's kind.</summary>
    [Pure]
    public static string NameOf(ModelSpec model) => model switch
    {
        AdaTapeModelSpec => AdaTape,
        TransformerModelSpec => Transformer,
        UniversalTransformerModelSpec => UniversalTransformer,
        AvitModelSpec => Avit,
        _ => throw new ArgumentOutOfRangeException(nameof(model), model, "unknown model kind"),
    };

    /// <summary>The kind a word names (an alias included), or null for a word that names none.</summary>
    [Pure]
    public static string? Resolve(string word) =>
        All.Contains(word) ? word : Aliases.TryGetValue(word, out var kind) ? kind : null;

    /// <summary>"adatape" | "transformer" | "ut" | "avit", for error messages.</summary>
    [Pure]
    public static string Listed(string separator = " | ") => string.Join(separator, All.Select(k => $"\"{k}\""));
}
