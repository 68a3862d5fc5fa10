using static TorchSharp.torch;

namespace SonoSynth.Models;

/// <summary>torchvision's _DenseBlock: layers "denselayer1".."denselayerN", each adding growth-rate channels.</summary>
public sealed class DenseBlock : nn.Module<Tensor, Tensor>
{
    private readonly List<DenseLayer> layers = [];

    public DenseBlock(int layerCount, long inChannels, long growthRate, long bottleneckFactor) : base("DenseBlock")
    {
        for (var i = 0; i < layerCount; i++)
        {
            var layer = new DenseLayer(inChannels + i * growthRate, growthRate, bottleneckFactor);
            layers.Add(layer);
            register_module($"denselayer{i + 1}", layer);
        }
    }

    public override Tensor forward(Tensor input)
    {
        var features = new List<Tensor> { input };
        foreach (var layer in layers)
            features.Add(layer.call(cat(features, 1)));
        return cat(features, 1);
    }
}
