using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Diffusion.Networks;

/// <summary>
/// guided-diffusion's EncoderUNetModel: the U-Net's downsampling half and middle block, then one of its pools
/// (<see cref="ClassifierPool"/>; the released classifiers use attention pooling). (x_t [N x C x H x W], timesteps [N])
/// → logits [N x K]. Used for classifier guidance: ∇_x log p(y | x_t, t). Module names follow guided-diffusion.
/// </summary>
public sealed class NoiseAwareClassifier : nn.Module<Tensor, Tensor, Tensor>
{
    /// <summary>Hidden width of the spatial pools' MLP.</summary>
    public const int SpatialHiddenChannels = 2048;

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

        int ch = config.ChannelsAt(0), featureSize = ch;
        var inputs = new List<TimestepEmbedSequential> { new(new ConvNd(2, config.InChannels, ch, 3, padding: 1)) };
        int downsampleRate = 1;
        for (int level = 0; level < config.ChannelMultipliers.Length; level++)
        {
            for (int block = 0; block < config.ResBlocksPerLevel; block++)
            {
                var layers = new List<nn.Module> { Res(ch, config.ChannelsAt(level)) };
                ch = config.ChannelsAt(level);
                if (attentionRates.Contains(downsampleRate)) layers.Add(Attention(ch));
                inputs.Add(new TimestepEmbedSequential(layers.ToArray()));
                featureSize += ch;
            }
            if (level != config.ChannelMultipliers.Length - 1)
            {
                inputs.Add(new TimestepEmbedSequential(config.ResBlockUpDown ? Res(ch, ch, down: true) : new Downsample(ch, true, ch)));
                downsampleRate *= 2;
                featureSize += ch;
            }
        }
        inputBlocks = inputs.ToArray();
        middleBlock = new TimestepEmbedSequential(Res(ch), Attention(ch), Res(ch));
        featureSize += ch;
        FeatureSize = featureSize;
        outLayers = config.Pool switch
        {
            ClassifierPool.Adaptive => nn.Sequential(Layers.Normalization(ch), nn.SiLU(), nn.AdaptiveAvgPool2d(1),
                Layers.ZeroModule(new ConvNd(2, ch, config.ClassCount, 1)), nn.Flatten()),
            ClassifierPool.Attention => nn.Sequential(Layers.Normalization(ch), nn.SiLU(),
                new AttentionPool2d(config.ImageSize / downsampleRate, ch, config.HeadChannels, config.ClassCount)),
            ClassifierPool.Spatial => nn.Sequential(nn.Linear(featureSize, SpatialHiddenChannels), nn.ReLU(),
                nn.Linear(SpatialHiddenChannels, config.ClassCount)),
            ClassifierPool.SpatialV2 => nn.Sequential(nn.Linear(featureSize, SpatialHiddenChannels),
                Layers.Normalization(SpatialHiddenChannels), nn.SiLU(), nn.Linear(SpatialHiddenChannels, config.ClassCount)),
            _ => throw new ArgumentOutOfRangeException(nameof(config), config.Pool, "Unknown classifier pool."),
        };

        register_module("time_embed", timeEmbed);
        register_module("input_blocks", nn.ModuleList(inputBlocks));
        register_module("middle_block", middleBlock);
        register_module("out", outLayers);
    }

    // Every submodule is registered above under guided-diffusion's name; TorchSharp's field-name registration (run when a
    // parent registers this module) would add the same tensors again under the C# field names.
    protected override void RegisterComponents() { }

    public NoiseClassifierConfig Config { get; }

    /// <summary>Channels the spatial pools concatenate: every input block's output and the middle block's.</summary>
    public int FeatureSize { get; }

    /// <summary>Precision of the input and middle blocks (guided-diffusion's classifier_use_fp16); logits are float32.</summary>
    public ComputePrecision Precision { get; set; } = ComputePrecision.Fp32;

    public override Tensor forward(Tensor x, Tensor timesteps)
    {
        using var scope = NewDisposeScope();
        var embedding = timeEmbed.call(TimestepEmbedding.Sinusoidal(timesteps, Config.ModelChannels));
        bool spatial = Config.Pool is ClassifierPool.Spatial or ClassifierPool.SpatialV2;
        var means = new List<Tensor>();
        var h = x.to_type(Precision.ScalarType());
        foreach (var block in inputBlocks)
        {
            h = block.call(h, embedding);
            if (spatial) means.Add(h.to_type(ScalarType.Float32).mean([2, 3]));
        }
        h = middleBlock.call(h, embedding);
        if (spatial)
        {
            means.Add(h.to_type(ScalarType.Float32).mean([2, 3]));
            return outLayers.call(torch.cat(means, -1)).MoveToOuterDisposeScope();
        }
        return outLayers.call(h.to_type(ScalarType.Float32)).MoveToOuterDisposeScope();
    }

    public long ParameterCount() => parameters().Sum(p => p.numel());
}
