using static TorchSharp.torch;

namespace SonoSynth.Models.Layers;

/// <summary>
/// torchvision's two-layer MLP (ops.MLP / vision_transformer.MLPBlock): Linear, GELU, Dropout, Linear, Dropout,
/// registered as "0".."4" so the linears are "mlp.0" and "mlp.3" as in torchvision's state dicts.
/// </summary>
public static class Mlp
{
    public static nn.Module<Tensor, Tensor> Create(long inFeatures, long hiddenFeatures, double dropout) =>
        nn.Sequential(
            ("0", nn.Linear(inFeatures, hiddenFeatures)),
            ("1", nn.GELU()),
            ("2", nn.Dropout(dropout)),
            ("3", nn.Linear(hiddenFeatures, inFeatures)),
            ("4", nn.Dropout(dropout)));
}
