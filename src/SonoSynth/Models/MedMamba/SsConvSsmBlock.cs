using SonoSynth.Models.Layers;
using static TorchSharp.torch;

namespace SonoSynth.Models;

/// <summary>
/// MedMamba's SS-Conv-SSM block: split the channels in two halves; the left half goes through the conv branch
/// (BN, 3x3 conv, BN, ReLU, 3x3 conv, BN, ReLU, 1x1 conv, ReLU: "conv33conv33conv11"), the right half through
/// LayerNorm + SS2D (+ drop path); concatenate, shuffle channels with 2 groups, add the block input.
/// </summary>
public sealed class SsConvSsmBlock : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> ln_1, self_attention, drop_path, conv33conv33conv11;

    public SsConvSsmBlock(long hiddenDim, double dropPath, long stateSize) : base("SS_Conv_SSM")
    {
        var half = hiddenDim / 2;
        ln_1 = nn.LayerNorm(half);
        self_attention = new SS2D(half, stateSize);
        drop_path = new StochasticDepth(dropPath);
        conv33conv33conv11 = nn.Sequential(
            ("0", nn.BatchNorm2d(half)),
            ("1", nn.Conv2d(half, half, 3, padding: 1)),
            ("2", nn.BatchNorm2d(half)),
            ("3", nn.ReLU()),
            ("4", nn.Conv2d(half, half, 3, padding: 1)),
            ("5", nn.BatchNorm2d(half)),
            ("6", nn.ReLU()),
            ("7", nn.Conv2d(half, half, 1)),
            ("8", nn.ReLU()));
        RegisterComponents();
    }

    /// <param name="input">[N x H x W x C]</param>
    public override Tensor forward(Tensor input)
    {
        var halves = input.chunk(2, -1);
        var ssmBranch = drop_path.call(self_attention.call(ln_1.call(halves[1])));
        var convBranch = conv33conv33conv11.call(halves[0].permute(0, 3, 1, 2)).permute(0, 2, 3, 1);
        var output = cat([convBranch, ssmBranch], -1);
        return ChannelShuffle(output, 2) + input;
    }

    /// <summary>ShuffleNet's channel shuffle on channels-last maps: [.., g, C/g] -> [.., C/g, g] -> flatten.</summary>
    public static Tensor ChannelShuffle(Tensor x, long groups)
    {
        long batch = x.shape[0], height = x.shape[1], width = x.shape[2], channels = x.shape[3];
        return x.view(batch, height, width, groups, channels / groups).transpose(3, 4).reshape(batch, height, width, channels);
    }
}
