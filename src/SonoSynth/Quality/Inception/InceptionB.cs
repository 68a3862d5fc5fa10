using static TorchSharp.torch;

namespace SonoSynth.Quality.Inception;

/// <summary>torchvision InceptionB (Mixed_6a): grid reduction 35→17 with 3x3, double 3x3 and max-pool branches.</summary>
public sealed class InceptionB : nn.Module<Tensor, Tensor>
{
    private readonly BasicConv2d branch3x3;
    private readonly BasicConv2d branch3x3dbl_1, branch3x3dbl_2, branch3x3dbl_3;

    public InceptionB(long inChannels) : base(nameof(InceptionB))
    {
        branch3x3 = new BasicConv2d(inChannels, 384, 3, stride: 2);
        branch3x3dbl_1 = new BasicConv2d(inChannels, 64, 1);
        branch3x3dbl_2 = new BasicConv2d(64, 96, 3, padding: 1);
        branch3x3dbl_3 = new BasicConv2d(96, 96, 3, stride: 2);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var b3 = branch3x3.call(x);
        var bd = branch3x3dbl_3.call(branch3x3dbl_2.call(branch3x3dbl_1.call(x)));
        var bp = nn.functional.max_pool2d(x, 3, stride: 2);
        return cat([b3, bd, bp], 1).MoveToOuterDisposeScope();
    }
}
