using SonoSynth.Diffusion.Networks;
using static TorchSharp.torch;

namespace SonoSynth.Diffusion.Sampling;

/// <summary>
/// How sampling is steered towards a class. <see cref="ImageGenerator"/> asks it for the network output at each step and
/// for a gradient to hand the sampler, so the loop never branches on the kind of guidance and the samplers never see a
/// classifier (guided-diffusion's model_fn and cond_fn). Null means class-conditional (or unconditional) without guidance.
/// </summary>
public interface IGuidance
{
    /// <summary>The output the sampler steps with at (x_t, t) for target <paramref name="labels"/> ([N]).</summary>
    /// <param name="originalTimesteps">[N] timesteps of the full schedule.</param>
    Tensor ModelOutput(UNetModel model, Tensor xt, Tensor originalTimesteps, Tensor labels);

    /// <summary>s·∇_{x_t} log p(y | x_t, t) for the sampler to add, or null when the guidance only changes the output.</summary>
    Tensor? Gradient(Tensor xt, Tensor originalTimesteps, Tensor labels);
}
