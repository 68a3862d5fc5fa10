using SonoSynth.Diffusion.Schedules;
using TorchSharp;
using static TorchSharp.torch;
using Xunit;

namespace SonoSynth.Tests.Diffusion;

public class NoiseScheduleTests
{
    [Fact]
    public void Linear_schedule_matches_closed_form()
    {
        var schedule = NoiseSchedule.Create(NoiseScheduleKind.Linear, 1000);
        Assert.Equal(1e-4, schedule.Betas[0], 15);
        Assert.Equal(0.02, schedule.Betas[999], 15);
        double beta1 = 1e-4 + (0.02 - 1e-4) / 999;
        Assert.Equal(beta1, schedule.Betas[1], 15);
        Assert.Equal(0.9999 * (1 - beta1), schedule.AlphasCumprod[1], 14);
        // Reference values from a separate float64 evaluation of ∏(1 − β_s) with guided-diffusion's formulas.
        Assert.Equal(0.89701814567496, schedule.AlphasCumprod[99], 12);
        Assert.Equal(0.07858724288177821, schedule.AlphasCumprod[499], 12);
        Assert.Equal(4.0358297653756754e-05, schedule.AlphasCumprod[999], 15);
        Assert.Equal(1.0, schedule.AlphasCumprodPrev[0]);
        Assert.Equal(schedule.AlphasCumprod[41], schedule.AlphasCumprodPrev[42]);
    }

    [Fact]
    public void Linear_schedule_scales_with_step_count()
    {
        var schedule = NoiseSchedule.Create(NoiseScheduleKind.Linear, 100);
        Assert.Equal(1e-3, schedule.Betas[0], 15);   // 1e-4 · 1000/100
        Assert.Equal(0.2, schedule.Betas[99], 15);    // 0.02 · 1000/100
    }

    [Fact]
    public void Cosine_schedule_matches_closed_form()
    {
        var schedule = NoiseSchedule.Create(NoiseScheduleKind.Cosine, 1000);
        static double AlphaBar(double t) => Math.Pow(Math.Cos((t + 0.008) / 1.008 * Math.PI / 2), 2);
        Assert.Equal(1 - AlphaBar(0.001) / AlphaBar(0), schedule.Betas[0], 15);
        Assert.Equal(4.128422482196914e-05, schedule.Betas[0], 15);
        Assert.Equal(0.999, schedule.Betas[999], 15); // capped
        Assert.Equal(0.4938435904406382, schedule.AlphasCumprod[499], 12);
        // Without the cap, ᾱ_t would equal ᾱ(t+1)/ᾱ(0) exactly.
        Assert.Equal(AlphaBar(0.5) / AlphaBar(0), schedule.AlphasCumprod[499], 12);
    }

    [Fact]
    public void Posterior_variance_and_coefficients_follow_ho_et_al()
    {
        var s = NoiseSchedule.Create(NoiseScheduleKind.Linear, 1000);
        for (int t = 1; t < 1000; t += 111)
        {
            double expected = s.Betas[t] * (1 - s.AlphasCumprod[t - 1]) / (1 - s.AlphasCumprod[t]);
            Assert.Equal(expected, s.PosteriorVariance[t], 15);
            Assert.Equal(s.Betas[t] * Math.Sqrt(s.AlphasCumprod[t - 1]) / (1 - s.AlphasCumprod[t]), s.PosteriorMeanCoef1[t], 14);
            Assert.Equal((1 - s.AlphasCumprod[t - 1]) * Math.Sqrt(1 - s.Betas[t]) / (1 - s.AlphasCumprod[t]), s.PosteriorMeanCoef2[t], 14);
        }
        Assert.Equal(0.0, s.PosteriorVariance[0]);
        Assert.Equal(5.4531876613021935e-05, s.PosteriorVariance[1], 15);
        Assert.Equal(0.010051335778909593, s.PosteriorVariance[500], 14);
        Assert.Equal(Math.Log(s.PosteriorVariance[1]), s.PosteriorLogVarianceClipped[0], 14); // log 0 clipped to β̃_1
    }

    [Fact]
    public void Q_sample_has_the_forward_process_moments()
    {
        var s = NoiseSchedule.Create(NoiseScheduleKind.Linear, 1000);
        var rng = new Generator(7);
        const int t = 300, count = 200_000;
        var x0 = torch.full([count, 1, 1, 1], 0.6f);
        var noise = torch.randn([count, 1, 1, 1], generator: rng);
        var xt = s.QSample(x0, torch.full([count], t, ScalarType.Int64), noise);
        double mean = xt.mean().item<float>(), variance = xt.var().item<float>();
        Assert.Equal(0.6 * Math.Sqrt(s.AlphasCumprod[t]), mean, 0.01);
        Assert.Equal(1 - s.AlphasCumprod[t], variance, 0.01);
    }

    [Fact]
    public void Eps_and_x0_predictions_invert_q_sample()
    {
        var s = NoiseSchedule.Create(NoiseScheduleKind.Cosine, 1000);
        var rng = new Generator(3);
        var x0 = torch.rand([4, 1, 8, 8], generator: rng) * 2 - 1;
        var eps = torch.randn([4, 1, 8, 8], generator: rng);
        var t = torch.tensor(new long[] { 0, 10, 500, 990 });
        var xt = s.QSample(x0, t, eps);
        Assert.True(s.PredictX0FromEps(xt, t, eps).allclose(x0, rtol: 1e-3, atol: 1e-3));
        Assert.True(s.PredictEpsFromX0(xt, t, x0).allclose(eps, rtol: 1e-3, atol: 2e-3));
    }

    [Fact]
    public void Posterior_mean_is_the_gaussian_product_formula()
    {
        var s = NoiseSchedule.Create(NoiseScheduleKind.Linear, 1000);
        const int t = 250;
        var x0 = torch.full([1, 1, 1, 1], 0.5f);
        var xt = torch.full([1, 1, 1, 1], -0.2f);
        var mean = s.QPosteriorMean(x0, xt, torch.tensor(new long[] { t })).item<float>();
        double expected = Math.Sqrt(s.AlphasCumprod[t - 1]) * s.Betas[t] / (1 - s.AlphasCumprod[t]) * 0.5 +
            Math.Sqrt(1 - s.Betas[t]) * (1 - s.AlphasCumprod[t - 1]) / (1 - s.AlphasCumprod[t]) * -0.2;
        Assert.Equal(expected, mean, 5);
    }
}
