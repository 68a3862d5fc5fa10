using SonoSynth.Models.Layers;
using static TorchSharp.torch;

namespace SonoSynth.Models;

/// <summary>torchvision's ViT EncoderBlock (pre-norm): x + attn(ln_1(x)), then + mlp(ln_2(x)).</summary>
public sealed class EncoderBlock : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> ln_1, self_attention, dropout, ln_2, mlp;

    public EncoderBlock(long hiddenDim, long headCount, long mlpDim, double dropoutRate, double attentionDropout)
        : base("EncoderBlock")
    {
        ln_1 = nn.LayerNorm(hiddenDim, eps: 1e-6);
        self_attention = new MultiheadSelfAttention(hiddenDim, headCount, attentionDropout);
        dropout = nn.Dropout(dropoutRate);
        ln_2 = nn.LayerNorm(hiddenDim, eps: 1e-6);
        mlp = Mlp.Create(hiddenDim, mlpDim, dropoutRate);
        RegisterComponents();

        // torchvision's MLPBlock: xavier uniform weights, biases N(0, 1e-6).
        using var noGrad = no_grad();
        foreach (var linear in mlp.modules().OfType<TorchSharp.Modules.Linear>())
        {
            nn.init.xavier_uniform_(linear.weight);
            nn.init.normal_(linear.bias!, std: 1e-6);
        }
    }

    public override Tensor forward(Tensor input)
    {
        var x = dropout.call(self_attention.call(ln_1.call(input))) + input;
        return x + mlp.call(ln_2.call(x));
    }
}
