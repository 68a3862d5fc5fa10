using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SonoSynth.Models.Layers;

/// <summary>
/// A bias-free 1x1 convolution with stride s, computed as a stride-1 1x1 convolution on x[:, :, ::s, ::s]
/// (the same function of the same weight, so identical outputs and gradients). Why: libtorch 2.10's oneDNN
/// crashes with SIGFPE in the backward of 1x1 stride-2 convolutions on small maps on some AMD EPYC machines
/// (ResNet50's downsample shortcuts at 16 px and 8 px). The parameter keeps nn.Conv2d's name "weight",
/// [out, in, 1, 1], so state dicts still map one-to-one to torchvision.
/// </summary>
public sealed class SubsampledPointwiseConv : nn.Module<Tensor, Tensor>
{
    private readonly long stride;
    private readonly Parameter weight;

    public SubsampledPointwiseConv(long inChannels, long outChannels, long stride) : base("SubsampledPointwiseConv")
    {
        this.stride = stride;
        weight = new Parameter(empty(outChannels, inChannels, 1, 1));
        // nn.Conv2d's default init; model constructors re-initialise it as torchvision does.
        nn.init.kaiming_uniform_(weight, Math.Sqrt(5));
        RegisterComponents();
    }

    public Parameter Weight => weight;

    public override Tensor forward(Tensor input)
    {
        var every = TensorIndex.Slice(null, null, stride);
        using var subsampled = input[TensorIndex.Colon, TensorIndex.Colon, every, every];
        return nn.functional.conv2d(subsampled, weight);
    }
}
