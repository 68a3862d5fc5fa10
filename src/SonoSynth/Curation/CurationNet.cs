using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SonoSynth.Curation;

/// <summary>
/// The good/bad curation classifier: four conv blocks (3×3 conv, batch norm, ReLU, 2×2 max pool), global average
/// pooling and one logit (positive = good). Input [N x 1 x S x S] grayscale in [0,1]; S divisible by 16.
/// Small on purpose: a curator labels hundreds of images, not tens of thousands.
/// </summary>
public sealed class CurationNet : Module<Tensor, Tensor>
{
    private readonly Sequential features;
    private readonly Linear fc;

    public CurationNet(int baseChannels = 16) : base(nameof(CurationNet))
    {
        int[] widths = [baseChannels, baseChannels * 2, baseChannels * 4, baseChannels * 4];
        var layers = new List<(string, Module<Tensor, Tensor>)>();
        int inChannels = 1;
        for (int block = 0; block < widths.Length; block++)
        {
            layers.Add(($"conv{block + 1}", Conv2d(inChannels, widths[block], 3, padding: 1, bias: false)));
            layers.Add(($"bn{block + 1}", BatchNorm2d(widths[block])));
            layers.Add(($"relu{block + 1}", ReLU()));
            layers.Add(($"pool{block + 1}", MaxPool2d(2)));
            inChannels = widths[block];
        }
        features = Sequential(layers);
        fc = Linear(inChannels, 1);
        RegisterComponents();
    }

    /// <summary>Logits [N]: log-odds that each image is good.</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var pooled = features.call(input).mean([2, 3]);
        return fc.call(pooled).squeeze(1).MoveToOuterDisposeScope();
    }
}
