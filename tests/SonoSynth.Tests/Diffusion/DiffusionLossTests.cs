using SonoSynth.Diffusion.Sampling;
using SonoSynth.Diffusion.Schedules;
using SonoSynth.Diffusion.Training;
using TorchSharp;
using static TorchSharp.torch;
using Xunit;

namespace SonoSynth.Tests.Diffusion;

public class DiffusionLossTests
{
    public DiffusionLossTests() => TinyData.UseOneThread();

    [Fact]
    public void Normal_kl_matches_the_closed_form()
    {
        // KL(N(0, 1) ‖ N(1, e²)) = log σ2/σ1 + (σ1² + (μ1 − μ2)²)/(2σ2²) − 1/2 with σ2 = e.
        var kl = GaussianLikelihood.NormalKl(torch.tensor(0f), torch.tensor(0f), torch.tensor(1f), torch.tensor(2f)).item<float>();
        Assert.Equal(1 + 2 / (2 * Math.Exp(2)) - 0.5, kl, 5);
        Assert.Equal(0f, GaussianLikelihood.NormalKl(torch.tensor(0.3f), torch.tensor(-1f), torch.tensor(0.3f), torch.tensor(-1f)).item<float>());
    }

    [Fact]
    public void Discretized_likelihood_of_a_sharp_gaussian_at_the_pixel_is_near_one()
    {
        var x = torch.tensor(new[] { 0f, -1f, 1f });
        var logLikelihood = GaussianLikelihood.DiscretizedGaussianLogLikelihood(x, x, torch.full(3, -8f));
        Assert.True(logLikelihood.abs().max().item<float>() < 1e-4); // all mass in the pixel's bin (or the edge tail)
    }

    [Fact]
    public void Learned_range_interpolates_between_posterior_and_beta_log_variances()
    {
        var schedule = NoiseSchedule.Create(NoiseScheduleKind.Linear, 1000);
        var xt = torch.zeros(1, 1, 1, 1);
        var t = torch.tensor(new long[] { 400 });
        foreach (var (v, expected) in new[] { (1f, Math.Log(schedule.Betas[400])), (-1f, schedule.PosteriorLogVarianceClipped[400]),
                     (0f, 0.5 * (Math.Log(schedule.Betas[400]) + schedule.PosteriorLogVarianceClipped[400])) })
        {
            var output = torch.cat([torch.zeros(1, 1, 1, 1), torch.full([1, 1, 1, 1], v)], 1);
            var prediction = DenoiserPrediction.Compute(schedule, ModelVarianceKind.LearnedRange, output, xt, t, clipDenoised: true);
            Assert.Equal(expected, prediction.LogVariance.item<float>(), 4);
        }
    }

    [Fact]
    public void Hybrid_loss_adds_the_vlb_only_through_the_variance_output()
    {
        var schedule = NoiseSchedule.Create(NoiseScheduleKind.Linear, 1000);
        var rng = new Generator(4);
        var x0 = torch.rand([2, 1, 4, 4], generator: rng) * 2 - 1;
        var noise = torch.randn([2, 1, 4, 4], generator: rng);
        var t = torch.tensor(new long[] { 0, 600 });
        var xt = schedule.QSample(x0, t, noise);
        var output = torch.randn([2, 2, 4, 4], generator: rng).requires_grad_(true);
        var terms = DiffusionLoss.Compute(schedule, learnSigma: true, output, x0, xt, t, noise);
        Assert.NotNull(terms.Vb);
        Assert.True(terms.Loss.allclose(terms.Mse + terms.Vb!));
        terms.Vb!.sum().backward();
        var gradient = output.grad!;
        Assert.Equal(0f, gradient[.., 0].abs().max().item<float>()); // ε channel: VLB sees a frozen ε̂
        Assert.True(gradient[.., 1].abs().max().item<float>() > 0);
        var mse = DiffusionLoss.Compute(schedule, learnSigma: false, output[.., ..1], x0, xt, t, noise);
        Assert.True(mse.Loss.allclose((noise - output[.., ..1]).square().mean([1, 2, 3])));
    }
}
