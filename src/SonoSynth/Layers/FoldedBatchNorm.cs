using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SonoSynth.Layers;

/// <summary>
/// In inference a convolution followed by BatchNorm is one convolution with weight·γ/σ and bias β + (b − μ)·γ/σ
/// (σ = √(running var + ε)). Folding saves two activation-sized passes per layer (the BatchNorm and its output),
/// which is where libtorch 2.10 lost to PyTorch 1.13 on this CPU (bench/README.md). Training and anything that needs
/// gradients keep the separate layers. The fold is recomputed on every call (one pass over the weights, small beside
/// the activations), so weights loaded or trained between calls are always the ones used.
/// </summary>
public static class FoldedBatchNorm
{
    public static bool Applies(nn.Module module) => !module.training && !is_grad_enabled();

    public static Tensor Conv(Tensor x, Conv2d conv, BatchNorm2d bn)
    {
        using var scope = NewDisposeScope();
        var scale = bn.weight! / (bn.running_var! + bn.eps).sqrt();
        var weight = conv.weight! * scale.view(-1, 1, 1, 1);
        var shift = conv.bias is null ? -bn.running_mean! : conv.bias - bn.running_mean!;
        var bias = bn.bias! + shift * scale;
        return nn.functional.conv2d(x, weight, bias, conv.stride, conv.padding, conv.dilation, conv.groups).MoveToOuterDisposeScope();
    }
}
