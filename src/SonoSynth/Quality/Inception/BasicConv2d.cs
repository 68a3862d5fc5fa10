using SonoSynth.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SonoSynth.Quality.Inception;

/// <summary>
/// torchvision's BasicConv2d: conv without bias → BatchNorm (eps 0.001) → ReLU. In inference the BatchNorm is folded
/// into the convolution (<see cref="FoldedBatchNorm"/>) and the ReLU runs in place.
/// </summary>
public sealed class BasicConv2d : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv;
    private readonly BatchNorm2d bn;

    public BasicConv2d(long inChannels, long outChannels, (long, long) kernelSize, (long, long)? stride = null,
        (long, long)? padding = null) : base(nameof(BasicConv2d))
    {
        conv = nn.Conv2d(inChannels, outChannels, kernelSize, stride: stride, padding: padding, bias: false);
        bn = nn.BatchNorm2d(outChannels, eps: 0.001);
        RegisterComponents();
    }

    public BasicConv2d(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0)
        : this(inChannels, outChannels, (kernelSize, kernelSize), (stride, stride), (padding, padding)) { }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return (FoldedBatchNorm.Applies(this) ? FoldedBatchNorm.Conv(x, conv, bn).relu_() : nn.functional.relu(bn.call(conv.call(x))))
            .MoveToOuterDisposeScope();
    }
}
