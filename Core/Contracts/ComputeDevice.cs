using System.Diagnostics.Contracts;
using System.Globalization;
using AdaTapeDml.Core.Validation;

namespace AdaTapeDml.Core.Contracts;

/// <summary>Where a backend keeps its tensors: a deployment choice, never part of a run's spec (so results stay comparable
/// whichever device produced them). Written as `cpu`, `cuda` (= cuda:0), `cuda:N`, or `auto` (cuda:0 when the backend can
/// use it, else cpu).</summary>
/// <param name="Kind">cpu, cuda or auto.</param>
/// <param name="Index">CUDA device index (0 for cpu and auto).</param>
public sealed record ComputeDevice(DeviceKind Kind, int Index = 0)
{
    public static readonly ComputeDevice Cpu = new(DeviceKind.Cpu);
    public static readonly ComputeDevice Auto = new(DeviceKind.Auto);

    public const string Allowed = "cpu, cuda, cuda:N (N = 0, 1, ...) or auto";

    /// <summary>The device <paramref name="text"/> names (case and surrounding blanks ignored); anything else is a
    /// <see cref="UserError"/> that quotes the text and lists what is allowed.</summary>
    [Pure]
    public static ComputeDevice Parse(string? text)
    {
        var s = (text ?? "").Trim().ToLowerInvariant();
        switch (s)
        {
            case "cpu": return Cpu;
            case "auto": return Auto;
            case "cuda": return new ComputeDevice(DeviceKind.Cuda);
        }
        const string prefix = "cuda:";
        if (s.StartsWith(prefix, StringComparison.Ordinal) && s.Length > prefix.Length && s[prefix.Length..].All(char.IsAsciiDigit)
            && int.TryParse(s[prefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            return new ComputeDevice(DeviceKind.Cuda, index);
        throw new UserError($"device '{text}' is not one of {Allowed}");
    }

    /// <summary>The canonical spelling (`cpu`, `cuda:0`, `auto`), which <see cref="Parse"/> reads back.</summary>
    public override string ToString() => Kind switch
    {
        DeviceKind.Cuda => string.Create(CultureInfo.InvariantCulture, $"cuda:{Index}"),
        DeviceKind.Auto => "auto",
        _ => "cpu",
    };
}

/// <summary>The kinds of <see cref="ComputeDevice"/>.</summary>
public enum DeviceKind
{
    Cpu,
    Cuda,
    Auto,
}
