using TorchSharp;
using static TorchSharp.torch;

namespace AdaTapeDml.Properties;

/// <summary>
/// Proves the TorchSharp native stack loads on this machine (see build/TorchSharpNativeFix.targets) and that autograd
/// works: gradients of small functions are checked exactly (all values are exactly representable in float32).
/// </summary>
public sealed class TorchSharp_Smoke
{
    [Fact]
    public void Gradient_of_sum_of_squares_is_two_x()
    {
        using var scope = torch.NewDisposeScope();
        var x = tensor(new float[] { 1f, -2f, 3.5f, 0f, 0.25f }, requires_grad: true);

        var y = (x * x).sum();
        y.backward();

        Assert.Equal(17.3125f, y.item<float>()); // 1 + 4 + 12.25 + 0 + 0.0625
        Assert.NotNull(x.grad);
        Assert.Equal(new float[] { 2f, -4f, 7f, 0f, 0.5f }, x.grad!.data<float>().ToArray());
    }

    [Fact]
    public void Gradient_of_a_product_follows_the_product_rule()
    {
        using var scope = torch.NewDisposeScope();
        var a = tensor(new float[] { 1f, 2f, -3f }, requires_grad: true);
        var b = tensor(new float[] { 4f, -0.5f, 2f }, requires_grad: true);

        // f(a, b) = sum(a * b + 3a)  =>  df/da = b + 3,  df/db = a
        var f = (a * b + 3f * a).sum();
        f.backward();

        Assert.Equal(new float[] { 7f, 2.5f, 5f }, a.grad!.data<float>().ToArray());
        Assert.Equal(new float[] { 1f, 2f, -3f }, b.grad!.data<float>().ToArray());
    }
}
