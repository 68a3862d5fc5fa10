using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Diffusion.Networks;

/// <summary>×2 downsampling: a stride-2 3×3 convolution, or 2×2 average pooling ("op").</summary>
public sealed class Downsample : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> op;

    public Downsample(int channels, bool useConv, int? outChannels = null) : base(nameof(Downsample))
    {
        if (!useConv && outChannels is not null && outChannels != channels)
            throw new ArgumentException("Average-pool downsampling cannot change the channel count.");
        op = useConv ? new ConvNd(2, channels, outChannels ?? channels, 3, stride: 2, padding: 1) : nn.AvgPool2d(2, 2);
        register_module("op", op);
    }

    public override Tensor forward(Tensor x) => op.call(x);
}
