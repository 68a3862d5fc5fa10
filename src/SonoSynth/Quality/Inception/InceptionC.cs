using static TorchSharp.torch;

namespace SonoSynth.Quality.Inception;

/// <summary>torchvision InceptionC (Mixed_6b..6e): factorised 7x7 branches (1x7 then 7x1), 768 channels out.</summary>
public sealed class InceptionC : nn.Module<Tensor, Tensor>
{
    private readonly BasicConv2d branch1x1;
    private readonly BasicConv2d branch7x7_1, branch7x7_2, branch7x7_3;
    private readonly BasicConv2d branch7x7dbl_1, branch7x7dbl_2, branch7x7dbl_3, branch7x7dbl_4, branch7x7dbl_5;
    private readonly BasicConv2d branch_pool;
    private readonly BranchPooling pooling;

    public InceptionC(long inChannels, long channels7x7, BranchPooling pooling = BranchPooling.Average) : base(nameof(InceptionC))
    {
        long c7 = channels7x7;
        branch1x1 = new BasicConv2d(inChannels, 192, 1);
        branch7x7_1 = new BasicConv2d(inChannels, c7, 1);
        branch7x7_2 = new BasicConv2d(c7, c7, (1, 7), padding: (0, 3));
        branch7x7_3 = new BasicConv2d(c7, 192, (7, 1), padding: (3, 0));
        branch7x7dbl_1 = new BasicConv2d(inChannels, c7, 1);
        branch7x7dbl_2 = new BasicConv2d(c7, c7, (7, 1), padding: (3, 0));
        branch7x7dbl_3 = new BasicConv2d(c7, c7, (1, 7), padding: (0, 3));
        branch7x7dbl_4 = new BasicConv2d(c7, c7, (7, 1), padding: (3, 0));
        branch7x7dbl_5 = new BasicConv2d(c7, 192, (1, 7), padding: (0, 3));
        branch_pool = new BasicConv2d(inChannels, 192, 1);
        this.pooling = pooling;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var b1 = branch1x1.call(x);
        var b7 = branch7x7_3.call(branch7x7_2.call(branch7x7_1.call(x)));
        var bd = branch7x7dbl_5.call(branch7x7dbl_4.call(branch7x7dbl_3.call(branch7x7dbl_2.call(branch7x7dbl_1.call(x)))));
        var bp = branch_pool.call(pooling.Apply(x));
        return cat([b1, b7, bd, bp], 1).MoveToOuterDisposeScope();
    }
}
