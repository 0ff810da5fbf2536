using AdaTapeDml.Backends.TorchSharp.Training;
using static TorchSharp.torch;

namespace AdaTapeDml.Properties.Backends;

/// <summary>Label smoothing: the loss equals (1 - eps) * CE(label) + eps * mean over classes of -log p(class), computed
/// here by hand in doubles.</summary>
public sealed class SmoothedCrossEntropy_Formula
{
    private static readonly float[,] Logits = { { 2.0f, -1.0f, 0.5f }, { -0.3f, 0.1f, 1.7f } };
    private static readonly long[] Labels = [0, 1];

    private static double ByHand(double epsilon)
    {
        var total = 0.0;
        for (var b = 0; b < 2; b++)
        {
            var row = Enumerable.Range(0, 3).Select(c => (double)Logits[b, c]).ToArray();
            var logSum = Math.Log(row.Sum(Math.Exp));
            var logP = row.Select(v => v - logSum).ToArray();
            total += (1 - epsilon) * -logP[Labels[b]] + epsilon * -logP.Average();
        }
        return total / 2;
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.1)]
    [InlineData(0.5)]
    public void The_loss_is_the_smoothed_formula(double epsilon)
    {
        using var scope = NewDisposeScope();
        var loss = SmoothedCrossEntropy.Loss(tensor(Logits), tensor(Labels), epsilon).item<float>();

        Assert.Equal(ByHand(epsilon), loss, 5);
    }

    [Fact]
    public void Smoothing_changes_the_loss()
    {
        Assert.NotEqual(ByHand(0), ByHand(0.1), 3);                  // the cases above are not all one number
    }
}
