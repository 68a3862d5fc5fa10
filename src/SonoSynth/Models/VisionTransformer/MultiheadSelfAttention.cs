using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SonoSynth.Models;

/// <summary>
/// nn.MultiheadAttention used as self-attention (batch_first), with its parameter names: in_proj_weight [3E x E],
/// in_proj_bias [3E], out_proj.{weight,bias}; and its init (xavier uniform in-projection, zero biases).
/// </summary>
public sealed class MultiheadSelfAttention : nn.Module<Tensor, Tensor>
{
    private readonly Parameter in_proj_weight, in_proj_bias;
    private readonly Linear out_proj;
    private readonly long headCount;
    private readonly double dropout;

    public MultiheadSelfAttention(long embedDim, long headCount, double dropout) : base("MultiheadAttention")
    {
        this.headCount = headCount;
        this.dropout = dropout;
        in_proj_weight = new Parameter(empty(3 * embedDim, embedDim));
        in_proj_bias = new Parameter(zeros(3 * embedDim));
        out_proj = nn.Linear(embedDim, embedDim);
        using (no_grad())
        {
            nn.init.xavier_uniform_(in_proj_weight);
            nn.init.zeros_(out_proj.bias!);
        }
        RegisterComponents();
    }

    /// <param name="tokens">[N x L x E]</param>
    public override Tensor forward(Tensor tokens)
    {
        long batch = tokens.shape[0], length = tokens.shape[1], embed = tokens.shape[2];
        var qkv = nn.functional.linear(tokens, in_proj_weight, in_proj_bias)
            .view(batch, length, 3, headCount, embed / headCount).permute(2, 0, 3, 1, 4);
        var attended = nn.functional.scaled_dot_product_attention(qkv[0], qkv[1], qkv[2], p: training ? dropout : 0.0);
        return out_proj.call(attended.transpose(1, 2).reshape(batch, length, embed));
    }
}
