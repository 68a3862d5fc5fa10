using static TorchSharp.torch;

namespace SonoSynth.Quality.Inception;

/// <summary>torchvision InceptionE (Mixed_7b/7c): expanded 1x3 + 3x1 branches, 2048 channels out.</summary>
public sealed class InceptionE : nn.Module<Tensor, Tensor>
{
    private readonly BasicConv2d branch1x1;
    private readonly BasicConv2d branch3x3_1, branch3x3_2a, branch3x3_2b;
    private readonly BasicConv2d branch3x3dbl_1, branch3x3dbl_2, branch3x3dbl_3a, branch3x3dbl_3b;
    private readonly BasicConv2d branch_pool;
    private readonly BranchPooling pooling;

    public InceptionE(long inChannels, BranchPooling pooling = BranchPooling.Average) : base(nameof(InceptionE))
    {
        branch1x1 = new BasicConv2d(inChannels, 320, 1);
        branch3x3_1 = new BasicConv2d(inChannels, 384, 1);
        branch3x3_2a = new BasicConv2d(384, 384, (1, 3), padding: (0, 1));
        branch3x3_2b = new BasicConv2d(384, 384, (3, 1), padding: (1, 0));
        branch3x3dbl_1 = new BasicConv2d(inChannels, 448, 1);
        branch3x3dbl_2 = new BasicConv2d(448, 384, 3, padding: 1);
        branch3x3dbl_3a = new BasicConv2d(384, 384, (1, 3), padding: (0, 1));
        branch3x3dbl_3b = new BasicConv2d(384, 384, (3, 1), padding: (1, 0));
        branch_pool = new BasicConv2d(inChannels, 192, 1);
        this.pooling = pooling;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var b1 = branch1x1.call(x);
        var s3 = branch3x3_1.call(x);
        var b3 = cat([branch3x3_2a.call(s3), branch3x3_2b.call(s3)], 1);
        var sd = branch3x3dbl_2.call(branch3x3dbl_1.call(x));
        var bd = cat([branch3x3dbl_3a.call(sd), branch3x3dbl_3b.call(sd)], 1);
        var bp = branch_pool.call(pooling.Apply(x));
        return cat([b1, b3, bd, bp], 1).MoveToOuterDisposeScope();
    }
}
