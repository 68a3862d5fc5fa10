using SonoSynth.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SonoSynth.Models;

/// <summary>
/// torchvision's _DenseLayer: BN-ReLU-1x1 conv to bn_size x growth channels, BN-ReLU-3x3 conv to growth channels,
/// applied to the concatenation of all earlier feature maps of the block.
/// </summary>
public sealed class DenseLayer : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> norm1, relu1, relu2, conv2;
    private readonly Conv2d conv1;
    private readonly BatchNorm2d norm2;

    public DenseLayer(long inChannels, long growthRate, long bottleneckFactor) : base("DenseLayer")
    {
        norm1 = nn.BatchNorm2d(inChannels);
        relu1 = nn.ReLU();
        conv1 = nn.Conv2d(inChannels, bottleneckFactor * growthRate, 1, bias: false);
        norm2 = nn.BatchNorm2d(bottleneckFactor * growthRate);
        relu2 = nn.ReLU();
        conv2 = nn.Conv2d(bottleneckFactor * growthRate, growthRate, 3, padding: 1, bias: false);
        RegisterComponents();
    }

    /// <param name="concatenatedFeatures">[N x C_in x H x W]: the block input and every earlier layer's output.</param>
    public override Tensor forward(Tensor concatenatedFeatures)
    {
        var activated = relu1.call(norm1.call(concatenatedFeatures));
        // norm2 directly follows conv1, so inference folds it in; norm1 sits before its convolution and cannot be.
        if (FoldedBatchNorm.Applies(this))
            return conv2.call(FoldedBatchNorm.Conv(activated, conv1, norm2).relu_());
        return conv2.call(relu2.call(norm2.call(conv1.call(activated))));
    }
}
