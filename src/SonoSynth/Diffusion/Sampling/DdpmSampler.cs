using SonoSynth.Diffusion.Schedules;
using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Diffusion.Sampling;

/// <summary>
/// Ancestral step x_{t−1} = μ_θ(x_t) + σ_t z (no noise at the last step). Classifier guidance shifts the mean by
/// s·Σ·∇ log p(y|x_t) (Dhariwal &amp; Nichol, Algorithm 1).
/// </summary>
public sealed class DdpmSampler(NoiseSchedule schedule, ModelVarianceKind varianceKind, bool clipDenoised = true) : ISampler
{
    public NoiseSchedule Schedule { get; } = schedule;

    public Tensor Step(Tensor modelOutput, int index, Tensor xt, Tensor noise, Tensor? guidanceGradient)
    {
        using var scope = NewDisposeScope();
        var timesteps = torch.full(xt.shape[0], index, ScalarType.Int64, device: xt.device);
        var prediction = DenoiserPrediction.Compute(Schedule, varianceKind, modelOutput, xt, timesteps, clipDenoised);
        var mean = prediction.Mean;
        if (guidanceGradient is not null) mean = mean + prediction.LogVariance.exp() * guidanceGradient;
        var next = index == 0 ? mean : mean + (0.5 * prediction.LogVariance).exp() * noise;
        return next.MoveToOuterDisposeScope();
    }
}
