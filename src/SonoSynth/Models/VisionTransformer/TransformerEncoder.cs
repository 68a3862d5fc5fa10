using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SonoSynth.Models;

/// <summary>
/// torchvision's ViT Encoder: learned position embedding [1 x L x D] (N(0, 0.02)), dropout,
/// layers.encoder_layer_0..N-1, final LayerNorm "ln".
/// </summary>
public sealed class TransformerEncoder : nn.Module<Tensor, Tensor>
{
    private readonly Parameter pos_embedding;
    private readonly nn.Module<Tensor, Tensor> dropout, layers, ln;

    public TransformerEncoder(long sequenceLength, int layerCount, long headCount, long hiddenDim, long mlpDim,
        double dropoutRate, double attentionDropout) : base("Encoder")
    {
        pos_embedding = new Parameter(empty(1, sequenceLength, hiddenDim));
        using (no_grad()) nn.init.normal_(pos_embedding, std: 0.02);
        dropout = nn.Dropout(dropoutRate);
        layers = nn.Sequential(Enumerable.Range(0, layerCount).Select(i => ($"encoder_layer_{i}",
            (nn.Module<Tensor, Tensor>)new EncoderBlock(hiddenDim, headCount, mlpDim, dropoutRate, attentionDropout))));
        ln = nn.LayerNorm(hiddenDim, eps: 1e-6);
        RegisterComponents();
    }

    public override Tensor forward(Tensor tokens) => ln.call(layers.call(dropout.call(tokens + pos_embedding)));
}
