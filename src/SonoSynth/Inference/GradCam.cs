using SonoSynth.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Inference;

/// <summary>
/// Grad-CAM (Selvaraju et al. 2017): L = ReLU(Σ_c α_c A_c) with α_c the spatial mean of ∂y_class/∂A_c,
/// upsampled bilinearly to the input size and scaled to [0, 1] per image. The activations are computed without
/// gradients, then detached and made a leaf, so only the tail of the network is differentiated.
/// </summary>
public static class GradCam
{
    /// <summary>
    /// Heat maps [N x H x W] in [0, 1] for <paramref name="input"/> [N x C x H x W]; <paramref name="classes"/>
    /// picks the explained class per image (null: the predicted class). The model is left in eval mode.
    /// </summary>
    public static Tensor Compute(ImageClassifier model, Tensor input, long[]? classes = null) =>
        Compute(model.GradCamTarget(), model, input, classes);

    public static Tensor Compute(IGradCamTarget target, nn.Module model, Tensor input, long[]? classes = null)
    {
        model.eval();
        using var scope = NewDisposeScope();
        GradCamSplit split;
        using (no_grad()) split = target.Split(input);
        using var gradients = enable_grad();
        var activations = split.Activations.detach().requires_grad_(true);
        var logits = split.LogitsFrom(activations);
        var chosen = classes is null ? logits.argmax(1) : tensor(classes, ScalarType.Int64, logits.device);
        var score = logits.gather(1, chosen.unsqueeze(1)).sum();
        var gradient = torch.autograd.grad([score], [activations])[0];
        using (no_grad())
        {
            var weights = gradient.mean([2, 3], keepdim: true);             // α_c
            var cam = nn.functional.relu((weights * activations).sum(1, keepdim: true));
            cam = nn.functional.interpolate(cam, [input.shape[2], input.shape[3]], mode: InterpolationMode.Bilinear, align_corners: false);
            cam = cam.squeeze(1);
            var peak = cam.amax([1, 2], keepdim: true).clamp_min(1e-12f);
            return (cam / peak).detach().MoveToOuterDisposeScope();
        }
    }
}
