using static TorchSharp.torch;

namespace SonoSynth.Models.Layers;

/// <summary>
/// torchvision.ops.StochasticDepth in "row" mode (also timm's DropPath): during training each sample's residual
/// branch is dropped with probability <paramref name="probability"/> and the survivors are scaled by 1/(1-p).
/// </summary>
public sealed class StochasticDepth(double probability) : nn.Module<Tensor, Tensor>("StochasticDepth")
{
    public double Probability { get; } = probability;

    public override Tensor forward(Tensor input)
    {
        if (!training || Probability == 0.0) return input;
        var survival = 1.0 - Probability;
        var shape = new long[input.dim()];
        Array.Fill(shape, 1L);
        shape[0] = input.shape[0];
        var keep = empty(shape, dtype: input.dtype, device: input.device).bernoulli_(survival);
        if (survival > 0.0) keep.div_(survival);
        return input * keep;
    }
}
