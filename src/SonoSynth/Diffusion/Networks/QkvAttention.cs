using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Diffusion.Networks;

/// <summary>
/// Multi-head attention over a packed [N x 3·H·C x T] qkv tensor → [N x H·C x T]. guided-diffusion has two packings:
/// legacy (QKVAttentionLegacy: heads split first, then q/k/v; used by its released 64–256 px models) and new
/// (QKVAttention: q/k/v split first, then heads). Both scale q and k by C^(−1/4) before the product.
/// </summary>
public sealed class QkvAttention(int headCount, bool newOrder) : nn.Module<Tensor, Tensor>(nameof(QkvAttention))
{
    public override Tensor forward(Tensor qkv)
    {
        using var scope = NewDisposeScope();
        long batch = qkv.shape[0], width = qkv.shape[1], length = qkv.shape[2];
        if (width % (3 * headCount) != 0) throw new ArgumentException($"qkv width {width} is not divisible by 3·{headCount} heads.");
        long channels = width / (3 * headCount);
        double scale = 1 / Math.Sqrt(Math.Sqrt(channels));
        Tensor q, k, v;
        if (newOrder)
        {
            var parts = qkv.chunk(3, 1);
            q = parts[0].reshape(batch * headCount, channels, length);
            k = parts[1].reshape(batch * headCount, channels, length);
            v = parts[2].reshape(batch * headCount, channels, length);
        }
        else
        {
            var parts = qkv.reshape(batch * headCount, channels * 3, length).split(channels, 1);
            (q, k, v) = (parts[0], parts[1], parts[2]);
        }
        // weight[b, t, s] = Σ_c q[b,c,t]·k[b,c,s]
        var logits = torch.bmm((q * scale).transpose(1, 2), k * scale);
        // Softmax in float32 whatever the precision (guided-diffusion: th.softmax(weight.float(), dim=-1).type(weight.dtype)).
        var weight = logits.dtype == ScalarType.Float32 ? logits.softmax(-1) : logits.to_type(ScalarType.Float32).softmax(-1).to_type(logits.dtype);
        var attended = torch.bmm(v, weight.transpose(1, 2)); // a[b,c,t] = Σ_s w[b,t,s]·v[b,c,s]
        return attended.reshape(batch, -1, length).MoveToOuterDisposeScope();
    }
}
