using SonoSynth.Diffusion.Schedules;
using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Diffusion.Sampling;

/// <summary>
/// What one network output says about x_{t−1} (guided-diffusion's p_mean_variance for ε-prediction): ε̂, x̂_0, and the
/// mean and log-variance of p(x_{t−1} | x_t). Timesteps are indices into <paramref name="schedule"/> (respaced or not).
/// </summary>
public sealed record DenoiserPrediction(Tensor Eps, Tensor PredictedX0, Tensor Mean, Tensor LogVariance)
{
    /// <param name="modelOutput">[N x C x ...] ε, or [N x 2C x ...] (ε, v) for <see cref="ModelVarianceKind.LearnedRange"/>.</param>
    /// <param name="clipDenoised">Clamp x̂_0 to [−1, 1] (images are scaled to that range).</param>
    public static DenoiserPrediction Compute(NoiseSchedule schedule, ModelVarianceKind varianceKind, Tensor modelOutput,
        Tensor xt, Tensor timesteps, bool clipDenoised)
    {
        Tensor eps, logVariance;
        if (varianceKind == ModelVarianceKind.LearnedRange)
        {
            var parts = modelOutput.chunk(2, 1);
            eps = parts[0];
            var fraction = (parts[1] + 1) / 2;
            var minLog = NoiseSchedule.Gather(schedule.PosteriorLogVarianceClipped, timesteps);
            var maxLog = NoiseSchedule.Gather(schedule.Betas.Select(b => Math.Log(b)).ToArray(), timesteps);
            logVariance = fraction * maxLog + (1 - fraction) * minLog;
        }
        else
        {
            eps = modelOutput;
            var table = varianceKind == ModelVarianceKind.FixedSmall
                ? schedule.PosteriorLogVarianceClipped
                : Enumerable.Range(0, schedule.Count)
                    .Select(i => Math.Log(i == 0 && schedule.Count > 1 ? schedule.PosteriorVariance[1] : schedule.Betas[i])).ToArray();
            logVariance = NoiseSchedule.Gather(table, timesteps).expand_as(xt);
        }
        var predictedX0 = schedule.PredictX0FromEps(xt, timesteps, eps);
        if (clipDenoised) predictedX0 = predictedX0.clamp(-1, 1);
        var mean = schedule.QPosteriorMean(predictedX0, xt, timesteps);
        return new DenoiserPrediction(eps, predictedX0, mean, logVariance);
    }
}
