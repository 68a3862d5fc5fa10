using SonoSynth.Diffusion.Networks;
using SonoSynth.Diffusion.Sampling;
using SonoSynth.Interop;
using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Tests.Diffusion;

/// <summary>
/// The whole sampling loop against guided-diffusion's own ddim_sample_loop / p_sample_loop (with cond_fn classifier
/// guidance), on a tiny U-Net and classifier with the same formula weights and the same per-image noise.
/// Fixture: scripts/reference/make_sampling_fixture.py.
/// </summary>
public class GuidedDiffusionSamplingTests
{
    public GuidedDiffusionSamplingTests() => TinyData.UseOneThread();

    public static TheoryData<string, bool, SamplerKind, string, double, double, bool, bool> Cases => new()
    {
        { "ddim_ddim10", false, SamplerKind.Ddim, "ddim10", 0.0, 0.0, true, false },
        { "ddim_ddim10_noclip", false, SamplerKind.Ddim, "ddim10", 0.0, 0.0, false, false },
        { "ddim_ddim10_guided_noclip", false, SamplerKind.Ddim, "ddim10", 0.0, 30.0, false, false },
        { "ddim_ddim10_guided", false, SamplerKind.Ddim, "ddim10", 0.0, 30.0, true, false },
        { "ddim_5_eta_noclip", false, SamplerKind.Ddim, "5", 0.5, 0.0, false, false },
        { "ddpm_10_noclip", false, SamplerKind.Ddpm, "10", 0.0, 0.0, false, false },
        { "ddpm_10_guided", false, SamplerKind.Ddpm, "10", 0.0, 30.0, true, false },
        { "ddpm_10_sigma_small_guided", false, SamplerKind.Ddpm, "10", 0.0, 30.0, true, true },
        { "ddpm_10_learned_sigma_guided_noclip", true, SamplerKind.Ddpm, "10", 0.0, 30.0, false, false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Samples_equal_guided_diffusion(string name, bool learnSigma, SamplerKind sampler, string respacing, double eta,
        double classifierScale, bool clip, bool sigmaSmall)
    {
        using var fixture = NpzFile.Read(Path.Combine(AppContext.BaseDirectory, "Diffusion", "Fixtures", "guided-diffusion-sampling.npz"));
        var seeds = fixture.Arrays["seeds"].to_type(ScalarType.Int64).data<long>().ToArray();
        using var labels = fixture.Arrays["labels"].to_type(ScalarType.Int64);
        using var expected = fixture.Arrays[name].to_type(ScalarType.Float32);

        using var unet = new UNetModel(TinyData.UNet with { ClassCount = 2, LearnSigma = learnSigma });
        FormulaWeights.Apply(unet);
        using var classifier = new NoiseAwareClassifier(TinyData.Classifier);
        FormulaWeights.Apply(classifier);
        classifier.eval();
        var options = new SamplingOptions(sampler, respacing, eta, classifierScale, ClipDenoised: clip, SigmaSmall: sigmaSmall);
        var generator = new ImageGenerator(unet, options, classifierScale > 0 ? classifier : null);
        using var images = generator.Generate(labels, seeds);

        double scale = Math.Max(1, expected.abs().max().item<float>());
        double error = images.sub(expected).abs().max().item<float>();
        Assert.True(error <= 1e-4 * scale, $"{name}: max |ours − guided-diffusion| = {error:G3} (values up to {scale:G3})");
    }

    /// <summary>The script's weights: value k of parameter n is s·sin(0.5 + 0.37k + 0.011·Σ chars(n)).</summary>
    private static class FormulaWeights
    {
        public static void Apply(nn.Module module)
        {
            using var noGrad = torch.no_grad();
            foreach (var (name, parameter) in module.named_parameters())
            {
                int h = name.Sum(c => (int)c);
                var k = torch.arange(parameter.numel(), dtype: ScalarType.Float64);
                var values = torch.sin(0.5 + 0.37 * k + 0.011 * h);
                if (parameter.dim() >= 2) values = values / Math.Sqrt(parameter.numel() / parameter.shape[0]);
                else if (name.EndsWith("weight")) values = 1.0 + 0.1 * values;
                else values = 0.1 * values;
                using var source = values.view(parameter.shape).to_type(parameter.dtype); // named: alive through the native copy
                parameter.copy_(source);
            }
        }
    }
}
