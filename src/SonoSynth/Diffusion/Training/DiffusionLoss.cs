using SonoSynth.Diffusion.Sampling;
using SonoSynth.Diffusion.Schedules;
using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Diffusion.Training;

/// <summary>Per-image training losses for one batch (guided-diffusion's training_losses with loss_type MSE).</summary>
public sealed record DiffusionLossTerms(Tensor Loss, Tensor Mse, Tensor? Vb);

/// <summary>
/// ε-prediction MSE, ‖ε − ε̂(x_t, t)‖² averaged over pixels (Ho et al.'s L_simple; the paper's objective). With learned σ,
/// adds Improved DDPM's L_vlb term computed with ε̂ frozen, so the VLB only trains the variance output.
/// </summary>
public static class DiffusionLoss
{
    /// <param name="modelOutput">Network output at (x_t, t).</param>
    /// <param name="timesteps">[N] indices into the full <paramref name="schedule"/>.</param>
    public static DiffusionLossTerms Compute(NoiseSchedule schedule, bool learnSigma, Tensor modelOutput, Tensor x0, Tensor xt,
        Tensor timesteps, Tensor noise)
    {
        if (!learnSigma)
        {
            var mse = (noise - modelOutput).square().mean([1, 2, 3]);
            return new DiffusionLossTerms(mse, mse, null);
        }
        var parts = modelOutput.chunk(2, 1);
        var epsMse = (noise - parts[0]).square().mean([1, 2, 3]);
        var frozen = torch.cat([parts[0].detach(), parts[1]], 1);
        var vb = VariationalBoundTerm(schedule, frozen, x0, xt, timesteps);
        return new DiffusionLossTerms(epsMse + vb, epsMse, vb);
    }

    /// <summary>L_t in bits per dimension: KL(q(x_{t−1}|x_t,x_0) ‖ p(x_{t−1}|x_t)) for t &gt; 0, the decoder NLL at t = 0.</summary>
    public static Tensor VariationalBoundTerm(NoiseSchedule schedule, Tensor modelOutput, Tensor x0, Tensor xt, Tensor timesteps)
    {
        using var scope = NewDisposeScope();
        var trueMean = schedule.QPosteriorMean(x0, xt, timesteps);
        var trueLogVariance = NoiseSchedule.Gather(schedule.PosteriorLogVarianceClipped, timesteps);
        var prediction = DenoiserPrediction.Compute(schedule, ModelVarianceKind.LearnedRange, modelOutput, xt, timesteps, clipDenoised: false);
        var kl = GaussianLikelihood.NormalKl(trueMean, trueLogVariance, prediction.Mean, prediction.LogVariance)
            .mean([1, 2, 3]) / Math.Log(2.0);
        var decoderNll = -GaussianLikelihood.DiscretizedGaussianLogLikelihood(x0, prediction.Mean, 0.5 * prediction.LogVariance)
            .mean([1, 2, 3]) / Math.Log(2.0);
        return torch.where(timesteps.eq(0), decoderNll, kl).MoveToOuterDisposeScope();
    }
}
