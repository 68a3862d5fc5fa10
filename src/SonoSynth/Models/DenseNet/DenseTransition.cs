using static TorchSharp.torch;

namespace SonoSynth.Models;

/// <summary>torchvision's _Transition: BN, ReLU, 1x1 conv (halves the channels), 2x2 average pooling.</summary>
public sealed class DenseTransition : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> norm, relu, conv, pool;

    public DenseTransition(long inChannels, long outChannels) : base("DenseTransition")
    {
        norm = nn.BatchNorm2d(inChannels);
        relu = nn.ReLU();
        conv = nn.Conv2d(inChannels, outChannels, 1, bias: false);
        pool = nn.AvgPool2d(2, stride: 2);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => pool.call(conv.call(relu.call(norm.call(input))));
}
