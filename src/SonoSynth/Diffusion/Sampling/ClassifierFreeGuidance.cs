using SonoSynth.Diffusion.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Diffusion.Sampling;

/// <summary>
/// Classifier-free guidance (Ho &amp; Salimans): ε = (1 + w)·ε(x_t, y) − w·ε(x_t, ∅), from a U-Net trained with label
/// dropout, whose null label is its class count. A learned variance output is taken from the conditional pass.
/// </summary>
public sealed class ClassifierFreeGuidance(double weight) : IGuidance
{
    public double Weight { get; } = weight;

    public Tensor ModelOutput(UNetModel model, Tensor xt, Tensor originalTimesteps, Tensor labels)
    {
        var config = model.Config;
        var conditional = model.call(xt, originalTimesteps, config.ClassCount > 0 ? labels : null);
        var unconditional = model.call(xt, originalTimesteps, torch.full_like(labels, config.ClassCount));
        double w = Weight;
        if (!config.LearnSigma) return (1 + w) * conditional - w * unconditional;
        var c = conditional.chunk(2, 1);
        var u = unconditional.chunk(2, 1);
        return torch.cat([(1 + w) * c[0] - w * u[0], c[1]], 1);
    }

    public Tensor? Gradient(Tensor xt, Tensor originalTimesteps, Tensor labels) => null;
}
