namespace SonoSynth.Diffusion.Sampling;

public enum SamplerKind
{
    /// <summary>Ancestral sampling of Ho et al. 2020 (p_sample).</summary>
    Ddpm,

    /// <summary>Song et al. 2021; η = 0 is deterministic, η = 1 matches DDPM's variance.</summary>
    Ddim,
}
