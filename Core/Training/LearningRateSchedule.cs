using System.Diagnostics.Contracts;
using AdaTapeDml.Core.Specs;

namespace AdaTapeDml.Core.Training;

/// <summary>Linear warm-up from 0 to the peak, then cosine decay to 0 (or constant), as the reference's schedule.</summary>
public static class LearningRateSchedule
{
    /// <summary>Learning rate for optimizer step <paramref name="step"/> (0-based).</summary>
    [Pure]
    public static double At(TrainingSpec training, int step)
    {
        var peak = training.LearningRate;
        if (step < training.WarmupSteps) return peak * (step + 1) / training.WarmupSteps;
        if (!training.Cosine) return peak;
        var decaySteps = Math.Max(1, training.Steps - training.WarmupSteps);
        var progress = Math.Clamp((step - training.WarmupSteps) / (double)decaySteps, 0, 1);
        return peak * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }
}
