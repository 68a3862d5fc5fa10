namespace SonoSynth.Diffusion.Schedules;

/// <summary>Variance of p(x_{t−1} | x_t) (guided-diffusion's ModelVarType).</summary>
public enum ModelVarianceKind
{
    /// <summary>σ²_t = β_t (β̃_1 at t = 0): guided-diffusion's default without learned σ (sigma_small = False).</summary>
    FixedLarge,

    /// <summary>σ²_t = β̃_t, the posterior variance.</summary>
    FixedSmall,

    /// <summary>Improved DDPM: the network outputs v, log σ² = v' log β_t + (1 − v') log β̃_t with v' = (v + 1)/2.</summary>
    LearnedRange,
}
