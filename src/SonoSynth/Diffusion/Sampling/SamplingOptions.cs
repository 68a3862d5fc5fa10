using SonoSynth.Diffusion.Schedules;

namespace SonoSynth.Diffusion.Sampling;

/// <summary>
/// How to sample. <see cref="Respacing"/> uses guided-diffusion's syntax ("250", "ddim50", "10,15,20"; empty = all T).
/// <see cref="ClassifierScale"/> &gt; 0 needs a noise-aware classifier; <see cref="FreeGuidanceWeight"/> &gt; 0 needs a
/// U-Net trained with label dropout (eps = (1 + w)·ε(x, y) − w·ε(x, ∅)). Both zero = class-conditional without guidance.
/// <see cref="Precision"/> is the U-Net's and classifier's torso precision (guided-diffusion's use_fp16 / classifier_use_fp16).
/// <see cref="SigmaSmall"/> is guided-diffusion's sigma_small for a U-Net with fixed variances: σ²_t = β̃_t (the posterior's)
/// instead of β_t. With few respaced DDPM steps, β_t of the respaced schedule is large and the last steps leave visible noise.
/// </summary>
public sealed record SamplingOptions(
    SamplerKind Sampler = SamplerKind.Ddim,
    string Respacing = "ddim50",
    double Eta = 0,
    double ClassifierScale = 0,
    double FreeGuidanceWeight = 0,
    bool ClipDenoised = true,
    int BatchSize = 16,
    NoiseScheduleKind Schedule = NoiseScheduleKind.Linear,
    int DiffusionSteps = 1000,
    SonoSynth.Diffusion.Networks.ComputePrecision Precision = SonoSynth.Diffusion.Networks.ComputePrecision.Fp32,
    bool SigmaSmall = false)
{
    /// <summary>Short text for manifests: e.g. "ddim50 eta=0".</summary>
    public string Describe() => Sampler == SamplerKind.Ddim ? $"ddim eta={Eta:G3}" : SigmaSmall ? "ddpm sigma_small" : "ddpm";

    public string DescribeGuidance() => ClassifierScale > 0 ? $"classifier s={ClassifierScale:G4}" :
        FreeGuidanceWeight > 0 ? $"free w={FreeGuidanceWeight:G4}" : "none";
}
