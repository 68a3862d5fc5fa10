using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Diffusion.Networks;

/// <summary>Self-attention over all spatial positions with a residual connection; the output projection starts at zero.</summary>
public sealed class AttentionBlock : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> norm, qkv, attention, projOut;

    /// <param name="headChannels">Channels per head; when set (≠ −1) it decides the head count instead of <paramref name="headCount"/>.</param>
    public AttentionBlock(int channels, int headCount = 1, int headChannels = -1, bool newAttentionOrder = false)
        : base(nameof(AttentionBlock))
    {
        if (headChannels != -1 && channels % headChannels != 0)
            throw new ArgumentException($"Attention channels {channels} are not divisible by {headChannels} channels per head (--num-head-channels).");
        if (headChannels == -1 && channels % headCount != 0)
            throw new ArgumentException($"Attention channels {channels} are not divisible by {headCount} heads (--num-heads).");
        int heads = headChannels == -1 ? headCount : channels / headChannels;
        norm = Layers.Normalization(channels);
        qkv = new ConvNd(1, channels, channels * 3, 1);
        attention = new QkvAttention(heads, newAttentionOrder);
        projOut = Layers.ZeroModule(new ConvNd(1, channels, channels, 1));
        register_module("norm", norm);
        register_module("qkv", qkv);
        register_module("attention", attention);
        register_module("proj_out", projOut);
    }

    // Every submodule is registered above under guided-diffusion's name; TorchSharp's field-name registration (run when a
    // parent registers this module) would add the same tensors again under the C# field names.
    protected override void RegisterComponents() { }

    /// <summary>Recompute this block's activations in backward instead of keeping them (<see cref="ActivationCheckpoint"/>).</summary>
    public bool UseCheckpoint { get; init; }

    public override Tensor forward(Tensor x) => UseCheckpoint && is_grad_enabled()
        ? ActivationCheckpoint.Apply(inputs => ForwardBlock(inputs[0]), [x], parameters())
        : ForwardBlock(x);

    private Tensor ForwardBlock(Tensor x)
    {
        using var scope = NewDisposeScope();
        var flat = x.reshape(x.shape[0], x.shape[1], -1);
        var h = projOut.call(attention.call(qkv.call(norm.call(flat))));
        return (flat + h).reshape(x.shape).MoveToOuterDisposeScope();
    }
}
