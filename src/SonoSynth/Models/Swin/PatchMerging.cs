using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SonoSynth.Models;

/// <summary>
/// Swin's patch merging (torchvision PatchMerging, MedMamba PatchMerging2D): concatenates each 2x2 neighbourhood
/// (order x[0::2,0::2], x[1::2,0::2], x[0::2,1::2], x[1::2,1::2]), LayerNorm over 4C, linear to 2C without bias.
/// Odd maps are zero-padded first, as torchvision does, or cropped to the even part, as MedMamba.py does.
/// </summary>
public sealed class PatchMerging : nn.Module<Tensor, Tensor>
{
    private readonly Linear reduction;
    private readonly LayerNorm norm;
    private readonly bool cropOdd;

    public PatchMerging(long dim, double eps = 1e-5, bool cropOdd = false) : base("PatchMerging")
    {
        this.cropOdd = cropOdd;
        reduction = nn.Linear(4 * dim, 2 * dim, hasBias: false);
        norm = nn.LayerNorm(4 * dim, eps: eps);
        RegisterComponents();
    }

    /// <param name="input">[N x H x W x C] -> [N x ceil(H/2) x ceil(W/2) x 2C] (floor when cropping)</param>
    public override Tensor forward(Tensor input)
    {
        long height = input.shape[1], width = input.shape[2];
        var x = cropOdd
            ? input[TensorIndex.Colon, TensorIndex.Slice(0, height - height % 2), TensorIndex.Slice(0, width - width % 2)]
            : nn.functional.pad(input, [0, 0, 0, width % 2, 0, height % 2]);
        var even = TensorIndex.Slice(0, null, 2);
        var odd = TensorIndex.Slice(1, null, 2);
        var c = TensorIndex.Colon;
        x = cat([x[c, even, even], x[c, odd, even], x[c, even, odd], x[c, odd, odd]], -1);
        return reduction.call(norm.call(x));
    }
}
