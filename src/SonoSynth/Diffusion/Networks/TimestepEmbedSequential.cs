using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Diffusion.Networks;

/// <summary>
/// A sequence that hands the embedding to the children that are <see cref="TimestepBlock"/>s and calls the rest with x
/// only. Children are registered as "0", "1", ... like nn.Sequential, so names such as input_blocks.1.0.in_layers.2.weight
/// match guided-diffusion's state dicts.
/// </summary>
public sealed class TimestepEmbedSequential : TimestepBlock
{
    private readonly nn.Module[] layers;

    public TimestepEmbedSequential(params nn.Module[] layers) : base(nameof(TimestepEmbedSequential))
    {
        this.layers = layers;
        for (int i = 0; i < layers.Length; i++) register_module(i.ToString(), layers[i]);
    }

    public override Tensor forward(Tensor x, Tensor embedding)
    {
        using var scope = NewDisposeScope();
        var h = x;
        foreach (var layer in layers)
            h = layer switch
            {
                TimestepBlock block => block.call(h, embedding),
                nn.Module<Tensor, Tensor> plain => plain.call(h),
                _ => throw new InvalidOperationException($"Layer {layer.GetName()} takes neither (x) nor (x, emb)."),
            };
        return h.MoveToOuterDisposeScope();
    }
}
