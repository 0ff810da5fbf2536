using System.CommandLine;
using AdaTapeDml.Backends.TorchSharp.Devices;
using AdaTapeDml.Core.Contracts;

namespace AdaTapeDml.Cli;

/// <summary>`--device cpu|cuda|cuda:N|auto`: where the TorchSharp backend keeps its tensors, the one option every command
/// that runs it shares. A deployment choice: it is never written into a run's spec.json.</summary>
public static class DeviceOption
{
    public static Option<string> Create() => new("--device")
    {
        Description = $"TorchSharp device: {ComputeDevice.Allowed} (cuda needs the Cuda build flavour and an NVIDIA GPU).",
        DefaultValueFactory = _ => "cpu",
    };

    /// <summary>The device the option names, checked against this build and machine; a bad or unusable device is a
    /// one-line <see cref="UserError"/> naming what is missing.</summary>
    public static ComputeDevice Resolve(ParseResult parse, Option<string> option)
    {
        var text = parse.GetValue(option);
        try { return TorchDevices.Check(ComputeDevice.Parse(text)); }
        catch (UserError e) { throw new UserError($"--device {text}: {e.Message}"); }
    }
}
