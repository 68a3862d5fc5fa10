using SonoSynth.Diffusion.Schedules;
using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Diffusion.Sampling;

/// <summary>
/// DDIM step (Song et al. eq. 12): x_{t−1} = √ᾱ_{t−1} x̂_0 + √(1 − ᾱ_{t−1} − σ²) ε̂ + σ z, with
/// σ = η √((1 − ᾱ_{t−1})/(1 − ᾱ_t)) √(1 − ᾱ_t/ᾱ_{t−1}). Classifier guidance corrects the score:
/// ε̂ ← ε̂ − √(1 − ᾱ_t)·s·∇ log p(y|x_t) (Dhariwal &amp; Nichol, Algorithm 2).
/// </summary>
public sealed class DdimSampler(NoiseSchedule schedule, ModelVarianceKind varianceKind, double eta = 0, bool clipDenoised = true) : ISampler
{
    public NoiseSchedule Schedule { get; } = schedule;
    public double Eta { get; } = eta;

    public Tensor Step(Tensor modelOutput, int index, Tensor xt, Tensor noise, Tensor? guidanceGradient)
    {
        using var scope = NewDisposeScope();
        var timesteps = torch.full(xt.shape[0], index, ScalarType.Int64, device: xt.device);
        var prediction = DenoiserPrediction.Compute(Schedule, varianceKind, modelOutput, xt, timesteps, clipDenoised);
        var predictedX0 = prediction.PredictedX0;
        if (guidanceGradient is not null)
        {
            var eps = Schedule.PredictEpsFromX0(xt, timesteps, predictedX0) -
                      Math.Sqrt(1 - Schedule.AlphasCumprod[index]) * guidanceGradient;
            predictedX0 = Schedule.PredictX0FromEps(xt, timesteps, eps);
        }
        var epsFromX0 = Schedule.PredictEpsFromX0(xt, timesteps, predictedX0);
        double alphaBar = Schedule.AlphasCumprod[index], alphaBarPrev = Schedule.AlphasCumprodPrev[index];
        double sigma = Eta * Math.Sqrt((1 - alphaBarPrev) / (1 - alphaBar)) * Math.Sqrt(1 - alphaBar / alphaBarPrev);
        var meanPrediction = predictedX0 * Math.Sqrt(alphaBarPrev) + Math.Sqrt(1 - alphaBarPrev - sigma * sigma) * epsFromX0;
        var next = index == 0 || sigma == 0 ? meanPrediction : meanPrediction + sigma * noise;
        return next.MoveToOuterDisposeScope();
    }
}
