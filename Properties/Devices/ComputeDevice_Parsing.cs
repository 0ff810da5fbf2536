using AdaTapeDml.Core.Contracts;
using AdaTapeDml.Core.Validation;

namespace AdaTapeDml.Properties.Devices;

/// <summary>Device strings: cpu, cuda, cuda:N and auto are read (case and blanks ignored); anything else is refused with a
/// message that quotes the text and lists what is allowed; the canonical spelling reads back to the same device.</summary>
public sealed class ComputeDevice_Parsing
{
    [Theory]
    [InlineData("cpu", DeviceKind.Cpu, 0)]
    [InlineData(" CPU ", DeviceKind.Cpu, 0)]
    [InlineData("cuda", DeviceKind.Cuda, 0)]
    [InlineData("cuda:0", DeviceKind.Cuda, 0)]
    [InlineData("CUDA:3", DeviceKind.Cuda, 3)]
    [InlineData("cuda:12", DeviceKind.Cuda, 12)]
    [InlineData("auto", DeviceKind.Auto, 0)]
    public void Valid_strings_name_their_device(string text, DeviceKind kind, int index)
    {
        var device = ComputeDevice.Parse(text);
        Assert.Equal(new ComputeDevice(kind, index), device);
        Assert.Equal(device, ComputeDevice.Parse(device.ToString()));
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("gpu")]
    [InlineData("cuda:")]
    [InlineData("cuda:-1")]
    [InlineData("cuda:+1")]
    [InlineData("cuda:x")]
    [InlineData("cuda:1:2")]
    [InlineData("cuda: 1")]
    [InlineData("cuda:99999999999")]
    [InlineData("cuda:\u0663")]                                   // an Arabic-Indic digit is not an index
    [InlineData("cpu:0")]
    [InlineData("directml")]
    public void Other_strings_are_refused_listing_the_allowed_ones(string? text)
    {
        var error = Assert.Throws<UserError>(() => ComputeDevice.Parse(text));
        Assert.Contains($"'{text}'", error.Message);
        Assert.Contains(ComputeDevice.Allowed, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Canonical_spellings()
    {
        Assert.Equal("cpu", ComputeDevice.Cpu.ToString());
        Assert.Equal("cuda:0", ComputeDevice.Parse("cuda").ToString());
        Assert.Equal("cuda:2", ComputeDevice.Parse("cuda:2").ToString());
        Assert.Equal("auto", ComputeDevice.Auto.ToString());
    }
}
