using SonoSynth.Diffusion.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Diffusion.Sampling;

/// <summary>
/// Classifier guidance (guided-diffusion's cond_fn): s·∇_{x_t} log p_φ(y | x_t, t). The classifier sees the original
/// timestep even when the sampler runs on a respaced schedule. With <paramref name="freeGuidance"/> the gradient steers the
/// classifier-free output instead of the plain conditional one (both guidances at once).
/// </summary>
public sealed class ClassifierGuidance(NoiseAwareClassifier classifier, double scale, ClassifierFreeGuidance? freeGuidance = null) : IGuidance
{
    public double Scale { get; } = scale;

    public Tensor ModelOutput(UNetModel model, Tensor xt, Tensor originalTimesteps, Tensor labels) =>
        freeGuidance?.ModelOutput(model, xt, originalTimesteps, labels)
        ?? model.call(xt, originalTimesteps, model.Config.ClassCount > 0 ? labels : null);

    /// <param name="xt">[N x C x H x W] current sample.</param>
    /// <param name="originalTimesteps">[N] timesteps of the full schedule.</param>
    /// <param name="labels">[N] target classes.</param>
    public Tensor? Gradient(Tensor xt, Tensor originalTimesteps, Tensor labels)
    {
        using var scope = NewDisposeScope();
        using var enableGrad = torch.enable_grad();
        var input = xt.detach().requires_grad_(true);
        var logProbabilities = classifier.call(input, originalTimesteps).log_softmax(-1);
        var selected = logProbabilities.gather(1, labels.view(-1, 1)).sum();
        var gradient = torch.autograd.grad([selected], [input])[0];
        return (gradient * Scale).detach().MoveToOuterDisposeScope();
    }
}
