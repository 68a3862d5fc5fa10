using SonoSynth.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SonoSynth.Models;

/// <summary>torchvision's BasicBlock (ResNet-18/34): two 3x3 convs with BatchNorm and a shortcut.</summary>
public sealed class BasicBlock : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv1, conv2;
    private readonly BatchNorm2d bn1, bn2;
    private readonly nn.Module<Tensor, Tensor> relu;
    private readonly nn.Module<Tensor, Tensor>? downsample;

    public BasicBlock(long inChannels, long planes, long stride, nn.Module<Tensor, Tensor>? downsample) : base("BasicBlock")
    {
        conv1 = nn.Conv2d(inChannels, planes, 3, stride: stride, padding: 1, bias: false);
        bn1 = nn.BatchNorm2d(planes);
        conv2 = nn.Conv2d(planes, planes, 3, padding: 1, bias: false);
        bn2 = nn.BatchNorm2d(planes);
        relu = nn.ReLU();
        this.downsample = downsample;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        if (FoldedBatchNorm.Applies(this))
        {
            var y = FoldedBatchNorm.Conv(input, conv1, bn1).relu_();
            y = FoldedBatchNorm.Conv(y, conv2, bn2);
            return y.add_(downsample is null ? input : downsample.call(input)).relu_();
        }
        var x = relu.call(bn1.call(conv1.call(input)));
        x = bn2.call(conv2.call(x));
        var identity = downsample is null ? input : downsample.call(input);
        return relu.call(x.add_(identity));
    }

    public sealed class Kind : IResidualBlockKind
    {
        public int Expansion => 1;

        public nn.Module<Tensor, Tensor> Create(long inChannels, long planes, long stride, nn.Module<Tensor, Tensor>? downsample) =>
            new BasicBlock(inChannels, planes, stride, downsample);
    }
}
