using SonoSynth.Diffusion.Schedules;
using static TorchSharp.torch;

namespace SonoSynth.Diffusion.Sampling;

/// <summary>
/// One reverse step x_t → x_{t−1}: math only. <see cref="ImageGenerator"/> owns the loop, the network, the noise and
/// the guidance, so any sampler fits any network.
/// </summary>
public interface ISampler
{
    /// <summary>The (respaced) schedule; step index i runs from Count−1 down to 0.</summary>
    NoiseSchedule Schedule { get; }

    /// <param name="modelOutput">Network output at (x_t, OriginalTimesteps[index]).</param>
    /// <param name="index">Step index into <see cref="Schedule"/>.</param>
    /// <param name="noise">Fresh N(0, I) noise shaped like x_t.</param>
    /// <param name="guidanceGradient">s·∇_{x_t} log p(y | x_t), or null without classifier guidance.</param>
    Tensor Step(Tensor modelOutput, int index, Tensor xt, Tensor noise, Tensor? guidanceGradient);
}
