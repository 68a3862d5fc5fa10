using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SonoSynth.Quality.Inception;

/// <summary>torchvision InceptionAux: the auxiliary classifier on Mixed_6e's 17x17 output (training only).</summary>
public sealed class InceptionAux : nn.Module<Tensor, Tensor>
{
    private readonly BasicConv2d conv0, conv1;
    private readonly Linear fc;

    public InceptionAux(long inChannels, long classCount) : base(nameof(InceptionAux))
    {
        conv0 = new BasicConv2d(inChannels, 128, 1);
        conv1 = new BasicConv2d(128, 768, 5);
        fc = nn.Linear(768, classCount);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var pooled = nn.functional.avg_pool2d(x, 5, stride: 3);                 // N x 768 x 5 x 5
        var features = nn.functional.adaptive_avg_pool2d(conv1.call(conv0.call(pooled)), [1, 1]).flatten(1);
        return fc.call(features).MoveToOuterDisposeScope();
    }
}
