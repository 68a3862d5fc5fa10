using SonoSynth.Models.Layers;
using static TorchSharp.torch;

namespace SonoSynth.Models;

/// <summary>torchvision's SwinTransformerBlock: x + drop(attn(norm1(x))), then x + drop(mlp(norm2(x))).</summary>
public sealed class SwinBlock : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> norm1, attn, stochastic_depth, norm2, mlp;

    public SwinBlock(long dim, int headCount, int windowSize, int shiftSize, double mlpRatio, double stochasticDepth)
        : base("SwinTransformerBlock")
    {
        norm1 = nn.LayerNorm(dim, eps: 1e-5);
        attn = new ShiftedWindowAttention(dim, windowSize, shiftSize, headCount);
        stochastic_depth = new StochasticDepth(stochasticDepth);
        norm2 = nn.LayerNorm(dim, eps: 1e-5);
        mlp = Mlp.Create(dim, (long)(dim * mlpRatio), 0.0);
        RegisterComponents();
    }

    /// <param name="input">[N x H x W x C]</param>
    public override Tensor forward(Tensor input)
    {
        var x = input + stochastic_depth.call(attn.call(norm1.call(input)));
        return x + stochastic_depth.call(mlp.call(norm2.call(x)));
    }
}
