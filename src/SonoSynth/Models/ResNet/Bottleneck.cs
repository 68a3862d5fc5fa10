using SonoSynth.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SonoSynth.Models;

/// <summary>
/// torchvision's Bottleneck (ResNet v1.5: the stride sits on the 3x3 conv): 1x1 reduce, 3x3, 1x1 expand x4,
/// each followed by BatchNorm, with the identity or a projection shortcut.
/// </summary>
public sealed class Bottleneck : nn.Module<Tensor, Tensor>
{
    public const int Expansion = 4;

    private readonly Conv2d conv1, conv2, conv3;
    private readonly BatchNorm2d bn1, bn2, bn3;
    private readonly nn.Module<Tensor, Tensor> relu;
    private readonly nn.Module<Tensor, Tensor>? downsample;

    public Bottleneck(long inChannels, long planes, long stride, nn.Module<Tensor, Tensor>? downsample) : base("Bottleneck")
    {
        conv1 = nn.Conv2d(inChannels, planes, 1, bias: false);
        bn1 = nn.BatchNorm2d(planes);
        conv2 = nn.Conv2d(planes, planes, 3, stride: stride, padding: 1, bias: false);
        bn2 = nn.BatchNorm2d(planes);
        conv3 = nn.Conv2d(planes, planes * Expansion, 1, bias: false);
        bn3 = nn.BatchNorm2d(planes * Expansion);
        relu = nn.ReLU();
        this.downsample = downsample;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        if (FoldedBatchNorm.Applies(this))
        {
            var y = FoldedBatchNorm.Conv(input, conv1, bn1).relu_();
            y = FoldedBatchNorm.Conv(y, conv2, bn2).relu_();
            y = FoldedBatchNorm.Conv(y, conv3, bn3);
            return y.add_(downsample is null ? input : downsample.call(input)).relu_();
        }
        var x = relu.call(bn1.call(conv1.call(input)));
        x = relu.call(bn2.call(conv2.call(x)));
        x = bn3.call(conv3.call(x));
        var identity = downsample is null ? input : downsample.call(input);
        return relu.call(x.add_(identity));
    }

    public sealed class Kind : IResidualBlockKind
    {
        public int Expansion => Bottleneck.Expansion;

        public nn.Module<Tensor, Tensor> Create(long inChannels, long planes, long stride, nn.Module<Tensor, Tensor>? downsample) =>
            new Bottleneck(inChannels, planes, stride, downsample);
    }
}
