using System.Diagnostics.Contracts;
using System.Text.Json;
using System.Text.RegularExpressions;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Core.Validation;

namespace AdaTapeDml.Core.Serialization;

/// <summary>JSON text &lt;-&gt; <see cref="RunSpec"/>. Parsing never throws: problems come back as <see cref="SpecError"/>s.</summary>
public static partial class RunSpecJson
{
    /// <summary>The spec as indented JSON.</summary>
    [Pure]
    public static string Serialize(RunSpec spec) => JsonSerializer.Serialize(spec, SpecJsonContext.Default.RunSpec);

    /// <summary>Parses JSON into a spec; on failure, one error naming the JSON path and what is expected.
    /// The parsed spec is not validated here (see <see cref="SpecValidator"/>).</summary>
    [Pure]
    public static Result<RunSpec> Parse(string json)
    {
        try
        {
            var spec = JsonSerializer.Deserialize(WithCurrentKinds(json), SpecJsonContext.Default.RunSpec);
            return spec is null
                ? Result<RunSpec>.Fail(new SpecError("$", "null", "a JSON object describing a run spec"))
                : Result<RunSpec>.Ok(spec);
        }
        catch (JsonException e)
        {
            return Result<RunSpec>.Fail(Describe(e.Message, e.Path, e.LineNumber, e.BytePositionInLine));
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException or FormatException)
        {
            return Result<RunSpec>.Fail(Describe(e.Message, null, null, null));   // e.g. an abstract type without its "kind"
        }
    }

    /// <summary>The JSON with old model-kind spellings (<see cref="ModelKinds.Aliases"/>) replaced by the current words,
    /// in place on the same line, so error positions stay those of the file.</summary>
    [Pure]
    private static string WithCurrentKinds(string json) =>
        KindValue().Replace(json, m => ModelKinds.Aliases.TryGetValue(m.Groups["value"].Value, out var kind)
            ? m.Value.Replace($"\"{m.Groups["value"].Value}\"", $"\"{kind}\"", StringComparison.Ordinal)
            : m.Value);

    private static SpecError Describe(string rawMessage, string? exceptionPath, long? lineNumber, long? bytePosition)
    {
        var message = OneLine(rawMessage);
        var pathInMessage = PathInMessage().Match(message);
        // Some errors (a missing discriminator) carry their path only in the message; e.Path is then just "$".
        var path = pathInMessage.Success ? pathInMessage.Groups["path"].Value : string.IsNullOrEmpty(exceptionPath) ? "$" : exceptionPath;
        var unmapped = UnmappedProperty().Match(message);
        if (unmapped.Success)
        {
            var name = unmapped.Groups["name"].Value;
            var known = KnownProperties(unmapped.Groups["type"].Value);
            var suggestion = ClosestName(name, known);
            var allowed = (suggestion is null ? "" : $"did you mean '{suggestion}'? ") + $"known fields: {string.Join(", ", known)}";
            return new SpecError(path.EndsWith($".{name}") ? path : JoinPath(path, name), "(unknown field)", allowed);
        }
        if (message.Contains("doesn't allow null values", StringComparison.Ordinal))
            return new SpecError(path, "null", "a value: null is not allowed here (leave the field out to use its default)");
        if (message.Contains("must specify a type discriminator", StringComparison.Ordinal))
            return new SpecError(JoinPath(path, "kind"), "(missing)", KindsAt(path));
        var discriminator = UnknownDiscriminator().Match(message);
        if (discriminator.Success)
            return new SpecError(JoinPath(path, "kind"), discriminator.Groups["value"].Value, KindsAt(path));
        if (lineNumber is { } line)
            message = $"{StripPathSuffix(message)} (line {line + 1}, byte {bytePosition + 1})";
        return new SpecError(path, "?", message);
    }

    private static readonly Type[] SpecTypes =
    [
        typeof(RunSpec), typeof(EncoderSpec), typeof(TapeSpec), typeof(ActHaltingSpec), typeof(TrainingSpec),
        typeof(AdaTapeModelSpec), typeof(TransformerModelSpec), typeof(UniversalTransformerModelSpec),
        typeof(LearnableBankSpec), typeof(SequenceInputBankSpec), typeof(ImageInputBankSpec),
        typeof(ParityTaskSpec), typeof(FashionMnistTaskSpec),
    ];

    /// <summary>Known JSON names of a spec type, from the source-generated metadata.</summary>
    private static IReadOnlyList<string> KnownProperties(string typeName)
    {
        var type = SpecTypes.FirstOrDefault(t => t.FullName == typeName);
        var info = type is null ? null : SpecJsonContext.Default.GetTypeInfo(type);
        return info is null ? [] : info.Properties.Where(p => p.Set is not null).Select(p => p.Name).ToArray();
    }

    /// <summary>The discriminator values allowed at a path, read from the [JsonDerivedType] attributes.</summary>
    private static string KindsAt(string path)
    {
        var baseType = path.Split('.')[^1] switch
        {
            "model" => typeof(ModelSpec),
            "bank" => typeof(BankSpec),
            "task" => typeof(TaskSpec),
            _ => null,
        };
        var kinds = baseType?.GetCustomAttributes(typeof(System.Text.Json.Serialization.JsonDerivedTypeAttribute), false)
            .Cast<System.Text.Json.Serialization.JsonDerivedTypeAttribute>()
            .Select(a => $"\"{a.TypeDiscriminator}\"")
            .ToArray();
        return kinds is { Length: > 0 } ? $"one of {string.Join(", ", kinds)}" : "a known kind (see `adatape spec example`)";
    }

    /// <summary>The known name nearest by edit distance, if it is plausibly a misspelling.</summary>
    [Pure]
    public static string? ClosestName(string name, IReadOnlyList<string> known)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in known)
        {
            var d = EditDistance(name.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (d < bestDistance) (best, bestDistance) = (candidate, d);
        }
        return bestDistance <= Math.Max(2, name.Length / 3) ? best : null;
    }

    [Pure]
    private static int EditDistance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var diagonal = row[0];
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.Length];
    }

    private static string JoinPath(string path, string name) => path.EndsWith('.') ? path + name : $"{path}.{name}";
    private static string OneLine(string s) => s.ReplaceLineEndings(" ").Trim();
    private static string StripPathSuffix(string message) => PathSuffix().Replace(message, "").TrimEnd('.', ' ');

    [GeneratedRegex(@"The JSON property '(?<name>[^']*)' could not be mapped to any \.NET member contained in type '(?<type>[^']*)'")]
    private static partial Regex UnmappedProperty();

    [GeneratedRegex(@"type discriminator(?: id)? '(?<value>[^']*)'", RegexOptions.IgnoreCase)]
    private static partial Regex UnknownDiscriminator();

    [GeneratedRegex(@"Path: (?<path>\$[^\s|]*)")]
    private static partial Regex PathInMessage();

    [GeneratedRegex(@"""kind""\s*:\s*""(?<value>[A-Za-z]+)""")]
    private static partial Regex KindValue();

    [GeneratedRegex(@"\s*Path: .*$")]
    private static partial Regex PathSuffix();
}
