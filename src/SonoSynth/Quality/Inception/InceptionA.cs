using static TorchSharp.torch;

namespace SonoSynth.Quality.Inception;

/// <summary>torchvision InceptionA (Mixed_5b/5c/5d): 1x1, 5x5, double 3x3 and pool branches, 224 + pool_features channels.</summary>
public sealed class InceptionA : nn.Module<Tensor, Tensor>
{
    private readonly BasicConv2d branch1x1;
    private readonly BasicConv2d branch5x5_1, branch5x5_2;
    private readonly BasicConv2d branch3x3dbl_1, branch3x3dbl_2, branch3x3dbl_3;
    private readonly BasicConv2d branch_pool;
    private readonly BranchPooling pooling;

    public InceptionA(long inChannels, long poolFeatures, BranchPooling pooling = BranchPooling.Average) : base(nameof(InceptionA))
    {
        branch1x1 = new BasicConv2d(inChannels, 64, 1);
        branch5x5_1 = new BasicConv2d(inChannels, 48, 1);
        branch5x5_2 = new BasicConv2d(48, 64, 5, padding: 2);
        branch3x3dbl_1 = new BasicConv2d(inChannels, 64, 1);
        branch3x3dbl_2 = new BasicConv2d(64, 96, 3, padding: 1);
        branch3x3dbl_3 = new BasicConv2d(96, 96, 3, padding: 1);
        branch_pool = new BasicConv2d(inChannels, poolFeatures, 1);
        this.pooling = pooling;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var b1 = branch1x1.call(x);
        var b5 = branch5x5_2.call(branch5x5_1.call(x));
        var b3 = branch3x3dbl_3.call(branch3x3dbl_2.call(branch3x3dbl_1.call(x)));
        var bp = branch_pool.call(pooling.Apply(x));
        return cat([b1, b5, b3, bp], 1).MoveToOuterDisposeScope();
    }
}
