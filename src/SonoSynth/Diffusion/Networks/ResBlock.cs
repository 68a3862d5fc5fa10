using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Diffusion.Networks;

/// <summary>
/// guided-diffusion's ResBlock: GroupNorm–SiLU–conv, the embedding added (or as FiLM scale/shift with
/// <paramref name="useScaleShiftNorm"/>: h = norm(h)·(1+scale)+shift), GroupNorm–SiLU–dropout–zero-initialised conv,
/// plus a skip connection. With up/down it also resamples (resblock_updown), both branches alike.
/// </summary>
public sealed class ResBlock : TimestepBlock
{
    private readonly nn.Module<Tensor, Tensor> inNorm, inActivation, inConv;
    private readonly nn.Module<Tensor, Tensor> embeddingLayers;
    private readonly nn.Module<Tensor, Tensor> outNorm, outActivation, outDropout, outConv;
    private readonly nn.Module<Tensor, Tensor>? hiddenResample, inputResample, skipConnection;
    private readonly bool useScaleShiftNorm;

    public ResBlock(int channels, int embeddingChannels, double dropout, int? outChannels = null, bool useConv = false,
        bool useScaleShiftNorm = false, bool up = false, bool down = false) : base(nameof(ResBlock))
    {
        int outputChannels = outChannels ?? channels;
        this.useScaleShiftNorm = useScaleShiftNorm;
        inNorm = Layers.Normalization(channels);
        inActivation = nn.SiLU();
        inConv = new ConvNd(2, channels, outputChannels, 3, padding: 1);
        register_module("in_layers", nn.Sequential(inNorm, inActivation, inConv));

        if (up) { hiddenResample = new Upsample(channels, false); inputResample = new Upsample(channels, false); }
        else if (down) { hiddenResample = new Downsample(channels, false); inputResample = new Downsample(channels, false); }
        if (hiddenResample is not null) { register_module("h_upd", hiddenResample); register_module("x_upd", inputResample!); }

        embeddingLayers = nn.Sequential(nn.SiLU(),
            nn.Linear(embeddingChannels, useScaleShiftNorm ? 2 * outputChannels : outputChannels));
        register_module("emb_layers", embeddingLayers);

        outNorm = Layers.Normalization(outputChannels);
        outActivation = nn.SiLU();
        outDropout = nn.Dropout(dropout);
        outConv = Layers.ZeroModule(new ConvNd(2, outputChannels, outputChannels, 3, padding: 1));
        register_module("out_layers", nn.Sequential(outNorm, outActivation, outDropout, outConv));

        if (outputChannels != channels)
        {
            skipConnection = useConv ? new ConvNd(2, channels, outputChannels, 3, padding: 1) : new ConvNd(2, channels, outputChannels, 1);
            register_module("skip_connection", skipConnection);
        }
    }

    // Every submodule is registered above under guided-diffusion's name; TorchSharp's field-name registration (run when a
    // parent registers this module) would add the same tensors again under the C# field names.
    protected override void RegisterComponents() { }

    /// <summary>Recompute this block's activations in backward instead of keeping them (<see cref="ActivationCheckpoint"/>).</summary>
    public bool UseCheckpoint { get; init; }

    /// <summary>x [N x C x H x W], embedding [N x E] → [N x C' x H' x W'].</summary>
    public override Tensor forward(Tensor x, Tensor embedding) => UseCheckpoint && is_grad_enabled()
        ? ActivationCheckpoint.Apply(inputs => ForwardBlock(inputs[0], inputs[1]), [x, embedding], parameters())
        : ForwardBlock(x, embedding);

    private Tensor ForwardBlock(Tensor x, Tensor embedding)
    {
        using var scope = NewDisposeScope();
        Tensor h;
        if (hiddenResample is not null)
        {
            h = inConv.call(hiddenResample.call(inActivation.call(inNorm.call(x))));
            x = inputResample!.call(x);
        }
        else
        {
            h = inConv.call(inActivation.call(inNorm.call(x)));
        }
        // The embedding layers stay float32; their output joins h in h's precision (guided-diffusion: .type(h.dtype)).
        var embeddingOut = embeddingLayers.call(embedding).to_type(h.dtype).unsqueeze(-1).unsqueeze(-1);
        if (useScaleShiftNorm)
        {
            var scaleShift = embeddingOut.chunk(2, 1);
            h = outNorm.call(h) * (scaleShift[0] + 1) + scaleShift[1];
            h = outConv.call(outDropout.call(outActivation.call(h)));
        }
        else
        {
            h = outConv.call(outDropout.call(outActivation.call(outNorm.call(h + embeddingOut))));
        }
        var skip = skipConnection is null ? x : skipConnection.call(x);
        return (skip + h).MoveToOuterDisposeScope();
    }
}
