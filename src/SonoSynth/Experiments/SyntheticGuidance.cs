namespace SonoSynth.Experiments;

/// <summary>How a synthetic set is guided towards its class (the config's <c>guidance:</c>).</summary>
public enum SyntheticGuidance
{
    /// <summary>A noise-aware classifier's gradient (the paper; guided-diffusion's cond_fn).</summary>
    Classifier,
    /// <summary>No guidance (Table 13's ablation).</summary>
    None,
    /// <summary>Classifier-free guidance (Ho &amp; Salimans 2022), beyond the paper; needs label dropout in training.</summary>
    Free,
}
