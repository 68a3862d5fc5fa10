using SonoSynth.Diffusion.Networks;
using SonoSynth.Diffusion.Sampling;
using SonoSynth.Diffusion.Schedules;
using TorchSharp;
using static TorchSharp.torch;
using Xunit;

namespace SonoSynth.Tests.Diffusion;

public class SamplerTests
{
    public SamplerTests() => TinyData.UseOneThread();

    private static NoiseSchedule Schedule50 => NoiseSchedule.Create(NoiseScheduleKind.Linear, 1000).Respace("ddim50");

    [Fact]
    public void Ddim_step_with_eta_zero_matches_a_hand_worked_value()
    {
        var schedule = Schedule50;
        const int index = 5;
        double alphaBar = schedule.AlphasCumprod[index], alphaBarPrev = schedule.AlphasCumprod[index - 1];
        var xt = torch.full([1, 1, 1, 1], 0.5f);
        var eps = torch.full([1, 1, 1, 1], 0.2f);
        var sampler = new DdimSampler(schedule, ModelVarianceKind.FixedLarge, eta: 0);
        var next = sampler.Step(eps, index, xt, torch.zeros_like(xt), null).item<float>();
        double x0 = (0.5 - Math.Sqrt(1 - alphaBar) * 0.2) / Math.Sqrt(alphaBar); // inside [−1, 1], so no clipping
        Assert.InRange(x0, -1, 1);
        Assert.Equal(Math.Sqrt(alphaBarPrev) * x0 + Math.Sqrt(1 - alphaBarPrev) * 0.2, next, 4);
    }

    [Fact]
    public void Classifier_guidance_shifts_ddpm_mean_by_variance_times_gradient()
    {
        var schedule = Schedule50;
        const int index = 20;
        var sampler = new DdpmSampler(schedule, ModelVarianceKind.FixedLarge);
        var xt = torch.full([1, 1, 2, 2], 0.3f);
        var eps = torch.full([1, 1, 2, 2], -0.1f);
        var gradient = torch.tensor(new[] { 1f, -2f, 0.5f, 0f }).view(1, 1, 2, 2);
        var zero = torch.zeros_like(xt);
        var shift = sampler.Step(eps, index, xt, zero, gradient) - sampler.Step(eps, index, xt, zero, null);
        // Fixed-large variance: σ² = β_t of the respaced schedule.
        Assert.True(shift.allclose(gradient * schedule.Betas[index], atol: 1e-6));
    }

    [Fact]
    public void Classifier_guidance_corrects_ddim_eps()
    {
        var schedule = Schedule50;
        const int index = 25;
        double alphaBar = schedule.AlphasCumprod[index], alphaBarPrev = schedule.AlphasCumprod[index - 1];
        var sampler = new DdimSampler(schedule, ModelVarianceKind.FixedLarge);
        var xt = torch.full([1, 1, 1, 1], 0.1f);
        var eps = torch.full([1, 1, 1, 1], 0.05f);
        var guided = sampler.Step(eps, index, xt, torch.zeros_like(xt), torch.full([1, 1, 1, 1], 0.4f)).item<float>();
        double correctedEps = 0.05 - Math.Sqrt(1 - alphaBar) * 0.4;
        double x0 = (0.1 - Math.Sqrt(1 - alphaBar) * correctedEps) / Math.Sqrt(alphaBar);
        Assert.Equal(Math.Sqrt(alphaBarPrev) * x0 + Math.Sqrt(1 - alphaBarPrev) * correctedEps, guided, 4);
    }

    private static UNetModel RandomOutputUNet(UNetConfig config)
    {
        torch.random.manual_seed(1);
        var model = new UNetModel(config);
        using var noGrad = torch.no_grad();
        // The zero-initialised convolutions make a fresh U-Net ignore t and y and output ε̂ ≡ 0; give them weights.
        foreach (var parameter in model.parameters())
            if (parameter.dim() > 1 && parameter.abs().max().item<float>() == 0) nn.init.normal_(parameter, 0, 0.05);
        return model;
    }

    [Fact]
    public void Ddim_eta_zero_is_deterministic_per_seed_and_independent_of_batch()
    {
        using var model = RandomOutputUNet(TinyData.UNet with { ClassCount = 2 });
        var generator = new ImageGenerator(model, new SamplingOptions(SamplerKind.Ddim, "ddim10", Eta: 0));
        var both = generator.Generate(torch.tensor(new long[] { 0, 1 }), [7, 8]);
        var again = generator.Generate(torch.tensor(new long[] { 0, 1 }), [7, 8]);
        Assert.True(both.eq(again).all().item<bool>());
        var alone = generator.Generate(torch.tensor(new long[] { 1 }), [8]);
        Assert.True(alone[0].allclose(both[1], atol: 1e-5));
        var other = generator.Generate(torch.tensor(new long[] { 1 }), [9]);
        Assert.False(other[0].allclose(both[1], atol: 1e-3));
        Assert.InRange(both.min().item<float>(), -1.0001f, 1.0001f);
    }

    [Fact]
    public void Classifier_free_guidance_extrapolates_from_the_unconditional_eps()
    {
        using var model = RandomOutputUNet(TinyData.UNet with { ClassCount = 2, NullLabel = true });
        // Respacing "2" keeps t = 999 and t = 0: two steps, replayed by hand below.
        var options = new SamplingOptions(SamplerKind.Ddim, "2", FreeGuidanceWeight: 2);
        var generator = new ImageGenerator(model, options);
        var sample = generator.Generate(torch.tensor(new long[] { 1 }), [3]);

        using var noGrad = torch.no_grad();
        Tensor GuidedEps(Tensor x, long t) =>
            3 * model.call(x, torch.tensor(new[] { t }), torch.tensor(new long[] { 1 })) -
            2 * model.call(x, torch.tensor(new[] { t }), torch.tensor(new long[] { 2 })); // 2 = the null label
        var xT = torch.randn([1, 1, 8, 8], generator: new Generator(3));
        var x1 = generator.Sampler.Step(GuidedEps(xT, 999), 1, xT, torch.zeros_like(xT), null);
        var expected = generator.Sampler.Step(GuidedEps(x1, 0), 0, x1, torch.zeros_like(xT), null);
        Assert.True(sample.allclose(expected, atol: 1e-5));
        var conditional = model.call(x1, torch.tensor(new long[] { 500 }), torch.tensor(new long[] { 1 }));
        var combined = generator.ModelOutput(x1, torch.tensor(new long[] { 500 }), torch.tensor(new long[] { 1 }));
        Assert.True(combined.allclose(GuidedEps(x1, 500), atol: 1e-6));
        Assert.False(combined.allclose(conditional, atol: 1e-4));
        // A U-Net trained without label dropout has no null label.
        Assert.Throws<ArgumentException>(() => new ImageGenerator(RandomOutputUNet(TinyData.UNet with { ClassCount = 2 }), options));
    }
}
