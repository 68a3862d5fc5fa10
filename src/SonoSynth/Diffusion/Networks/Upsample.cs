using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Diffusion.Networks;

/// <summary>Nearest-neighbour ×2 upsampling, with an optional 3×3 convolution ("conv").</summary>
public sealed class Upsample : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor>? conv;

    public Upsample(int channels, bool useConv, int? outChannels = null) : base(nameof(Upsample))
    {
        if (useConv) register_module("conv", conv = new ConvNd(2, channels, outChannels ?? channels, 3, padding: 1));
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var up = nn.functional.interpolate(x, scale_factor: [2.0, 2.0], mode: InterpolationMode.Nearest);
        return (conv is null ? up : conv.call(up)).MoveToOuterDisposeScope();
    }
}
