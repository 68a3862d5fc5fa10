using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Diffusion.Networks;

/// <summary>
/// CLIP-style attention pooling (guided-diffusion's AttentionPool2d): the mean feature is prepended as a query token,
/// a learned positional embedding is added, and the attended query token is projected to the outputs.
/// </summary>
public sealed class AttentionPool2d : nn.Module<Tensor, Tensor>
{
    private readonly TorchSharp.Modules.Parameter positionalEmbedding;
    private readonly nn.Module<Tensor, Tensor> qkvProj, cProj, attention;

    public AttentionPool2d(int spatialSize, int embedChannels, int headChannels, int outputChannels) : base(nameof(AttentionPool2d))
    {
        positionalEmbedding = new TorchSharp.Modules.Parameter(torch.randn(embedChannels, spatialSize * spatialSize + 1) / Math.Sqrt(embedChannels));
        qkvProj = new ConvNd(1, embedChannels, 3 * embedChannels, 1);
        cProj = new ConvNd(1, embedChannels, outputChannels, 1);
        attention = new QkvAttention(embedChannels / headChannels, newOrder: true);
        register_parameter("positional_embedding", positionalEmbedding);
        register_module("qkv_proj", qkvProj);
        register_module("c_proj", cProj);
        register_module("attention", attention);
    }

    // Every submodule is registered above under guided-diffusion's name; TorchSharp's field-name registration (run when a
    // parent registers this module) would add the same tensors again under the C# field names.
    protected override void RegisterComponents() { }

    /// <summary>[N x C x H x W] → [N x outputs].</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var flat = x.reshape(x.shape[0], x.shape[1], -1);
        var tokens = torch.cat([flat.mean([-1], keepdim: true), flat], -1) + positionalEmbedding.unsqueeze(0).to_type(x.dtype);
        var pooled = cProj.call(attention.call(qkvProj.call(tokens)));
        return pooled[.., .., 0].MoveToOuterDisposeScope();
    }
}
