using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Diffusion.Networks;

/// <summary>
/// guided-diffusion's EncoderUNetModel with pool="attention": the U-Net's downsampling half and middle block, then
/// GroupNorm–SiLU–<see cref="AttentionPool2d"/>. (x_t [N x C x H x W], timesteps [N]) → logits [N x K].
/// Used for classifier guidance: ∇_x log p(y | x_t, t).
/// </summary>
public sealed class NoiseAwareClassifier : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> timeEmbed;
    private readonly TimestepEmbedSequential[] inputBlocks;
    private readonly TimestepEmbedSequential middleBlock;
    private readonly nn.Module<Tensor, Tensor> outLayers;

    public NoiseAwareClassifier(NoiseClassifierConfig config) : base(nameof(NoiseAwareClassifier))
    {
        config.Validate();
        Config = config;
        int mc = config.ModelChannels, embeddingChannels = config.TimeEmbeddingChannels;
        var attentionRates = config.AttentionDownsampleRates;
        timeEmbed = nn.Sequential(nn.Linear(mc, embeddingChannels), nn.SiLU(), nn.Linear(embeddingChannels, embeddingChannels));
        ResBlock Res(int inCh, int? outCh = null, bool down = false) =>
            new(inCh, embeddingChannels, config.Dropout, outCh, useScaleShiftNorm: config.UseScaleShiftNorm, down: down)
            { UseCheckpoint = config.UseCheckpoint };
        AttentionBlock Attention(int ch) => new(ch, 1, config.HeadChannels, config.NewAttentionOrder)
            { UseCheckpoint = config.UseCheckpoint };

        int ch = config.ChannelMultipliers[0] * mc;
        var inputs = new List<TimestepEmbedSequential> { new(nn.Conv2d(config.InChannels, ch, 3, padding: 1)) };
        int downsampleRate = 1;
        for (int level = 0; level < config.ChannelMultipliers.Length; level++)
        {
            for (int block = 0; block < config.ResBlocksPerLevel; block++)
            {
                var layers = new List<nn.Module> { Res(ch, config.ChannelMultipliers[level] * mc) };
                ch = config.ChannelMultipliers[level] * mc;
                if (attentionRates.Contains(downsampleRate)) layers.Add(Attention(ch));
                inputs.Add(new TimestepEmbedSequential(layers.ToArray()));
            }
            if (level != config.ChannelMultipliers.Length - 1)
            {
                inputs.Add(new TimestepEmbedSequential(config.ResBlockUpDown ? Res(ch, ch, down: true) : new Downsample(ch, true, ch)));
                downsampleRate *= 2;
            }
        }
        inputBlocks = inputs.ToArray();
        middleBlock = new TimestepEmbedSequential(Res(ch), Attention(ch), Res(ch));
        outLayers = nn.Sequential(Layers.Normalization(ch), nn.SiLU(),
            new AttentionPool2d(config.ImageSize / downsampleRate, ch, config.HeadChannels, config.ClassCount));

        register_module("time_embed", timeEmbed);
        register_module("input_blocks", nn.ModuleList(inputBlocks));
        register_module("middle_block", middleBlock);
        register_module("out", outLayers);
    }

    public NoiseClassifierConfig Config { get; }

    public override Tensor forward(Tensor x, Tensor timesteps)
    {
        using var scope = NewDisposeScope();
        var embedding = timeEmbed.call(TimestepEmbedding.Sinusoidal(timesteps, Config.ModelChannels));
        var h = x;
        foreach (var block in inputBlocks) h = block.call(h, embedding);
        h = middleBlock.call(h, embedding);
        return outLayers.call(h).MoveToOuterDisposeScope();
    }

    public long ParameterCount() => parameters().Sum(p => p.numel());
}
