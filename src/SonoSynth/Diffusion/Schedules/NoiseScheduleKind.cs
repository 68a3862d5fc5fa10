namespace SonoSynth.Diffusion.Schedules;

/// <summary>How β_t grows with t (guided-diffusion's get_named_beta_schedule).</summary>
public enum NoiseScheduleKind
{
    /// <summary>Ho et al. 2020: β from 1e-4 to 0.02, scaled by 1000/T so any T gives a similar curve. The paper's choice.</summary>
    Linear,

    /// <summary>Nichol &amp; Dhariwal 2021: ᾱ(t) = cos²((t/T + 0.008)/1.008 · π/2), β capped at 0.999.</summary>
    Cosine,
}
