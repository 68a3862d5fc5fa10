using static TorchSharp.torch;

namespace SonoSynth.Models.Layers;

/// <summary>torchvision.ops.Permute: a parameter-free module, kept so Sequential indices match torchvision's.</summary>
public sealed class Permute(params long[] dims) : nn.Module<Tensor, Tensor>("Permute")
{
    public override Tensor forward(Tensor input) => input.permute(dims);
}
