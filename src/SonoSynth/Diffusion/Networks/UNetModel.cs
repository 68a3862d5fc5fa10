using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Diffusion.Networks;

/// <summary>
/// The ADM U-Net (guided-diffusion's UNetModel): (x_t [N x C x H x W], timesteps [N], labels [N] or null) → [N x C' x H x W]
/// (ε, and with learned σ also v). Submodule names follow guided-diffusion (time_embed, label_emb, input_blocks,
/// middle_block, output_blocks, out), so its state dicts map one to one.
/// </summary>
public sealed class UNetModel : nn.Module<Tensor, Tensor, Tensor?, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> timeEmbed;
    private readonly nn.Module<Tensor, Tensor>? labelEmbedding;
    private readonly TimestepEmbedSequential[] inputBlocks;
    private readonly TimestepEmbedSequential middleBlock;
    private readonly TimestepEmbedSequential[] outputBlocks;
    private readonly nn.Module<Tensor, Tensor> outLayers;

    public UNetModel(UNetConfig config) : base(nameof(UNetModel))
    {
        config.Validate();
        Config = config;
        int mc = config.ModelChannels, embeddingChannels = config.TimeEmbeddingChannels;
        var attentionRates = config.AttentionDownsampleRates;
        timeEmbed = nn.Sequential(nn.Linear(mc, embeddingChannels), nn.SiLU(), nn.Linear(embeddingChannels, embeddingChannels));
        if (config.ClassCount > 0) labelEmbedding = nn.Embedding(config.LabelEmbeddingRows, embeddingChannels);

        ResBlock Res(int inCh, int? outCh = null, bool up = false, bool down = false) =>
            new(inCh, embeddingChannels, config.Dropout, outCh, useScaleShiftNorm: config.UseScaleShiftNorm, up: up, down: down)
            { UseCheckpoint = config.UseCheckpoint };
        AttentionBlock Attention(int ch) => new(ch, config.HeadCount, config.HeadChannels, config.NewAttentionOrder)
            { UseCheckpoint = config.UseCheckpoint };

        int ch = config.ChannelsAt(0), inputChannels = ch;
        var inputs = new List<TimestepEmbedSequential> { new(new ConvNd(2, config.InChannels, ch, 3, padding: 1)) };
        var skipChannels = new Stack<int>();
        skipChannels.Push(ch);
        int downsampleRate = 1;
        for (int level = 0; level < config.ChannelMultipliers.Length; level++)
        {
            for (int block = 0; block < config.ResBlocksPerLevel; block++)
            {
                var layers = new List<nn.Module> { Res(ch, config.ChannelsAt(level)) };
                ch = config.ChannelsAt(level);
                if (attentionRates.Contains(downsampleRate)) layers.Add(Attention(ch));
                inputs.Add(new TimestepEmbedSequential(layers.ToArray()));
                skipChannels.Push(ch);
            }
            if (level != config.ChannelMultipliers.Length - 1)
            {
                inputs.Add(new TimestepEmbedSequential(config.ResBlockUpDown
                    ? Res(ch, ch, down: true) : new Downsample(ch, config.ConvResample, ch)));
                skipChannels.Push(ch);
                downsampleRate *= 2;
            }
        }
        inputBlocks = inputs.ToArray();
        middleBlock = new TimestepEmbedSequential(Res(ch), Attention(ch), Res(ch));

        var outputs = new List<TimestepEmbedSequential>();
        for (int level = config.ChannelMultipliers.Length - 1; level >= 0; level--)
        {
            for (int block = 0; block <= config.ResBlocksPerLevel; block++)
            {
                int skip = skipChannels.Pop();
                var layers = new List<nn.Module> { Res(ch + skip, config.ChannelsAt(level)) };
                ch = config.ChannelsAt(level);
                if (attentionRates.Contains(downsampleRate)) layers.Add(Attention(ch));
                if (level > 0 && block == config.ResBlocksPerLevel)
                {
                    layers.Add(config.ResBlockUpDown ? Res(ch, ch, up: true) : new Upsample(ch, config.ConvResample, ch));
                    downsampleRate /= 2;
                }
                outputs.Add(new TimestepEmbedSequential(layers.ToArray()));
            }
        }
        outputBlocks = outputs.ToArray();
        // guided-diffusion builds this conv from input_ch (= channel_mult[0]·model_channels), which equals ch here.
        outLayers = nn.Sequential(Layers.Normalization(ch), nn.SiLU(),
            Layers.ZeroModule(new ConvNd(2, inputChannels, config.OutChannels, 3, padding: 1)));

        register_module("time_embed", timeEmbed);
        if (labelEmbedding is not null) register_module("label_emb", labelEmbedding);
        register_module("input_blocks", nn.ModuleList(inputBlocks));
        register_module("middle_block", middleBlock);
        register_module("output_blocks", nn.ModuleList(outputBlocks));
        register_module("out", outLayers);
    }

    // Every submodule is registered above under guided-diffusion's name; TorchSharp's field-name registration (run when a
    // parent registers this module) would add the same tensors again under the C# field names.
    protected override void RegisterComponents() { }

    public UNetConfig Config { get; }

    /// <summary>Precision of the input, middle and output blocks (guided-diffusion's use_fp16); the result is float32 always.</summary>
    public ComputePrecision Precision { get; set; } = ComputePrecision.Fp32;

    /// <param name="x">[N x C x H x W] noisy images.</param>
    /// <param name="timesteps">[N] original-schedule timesteps.</param>
    /// <param name="labels">[N] class indices (ClassCount = null label), required exactly when the model is class-conditional.</param>
    public override Tensor forward(Tensor x, Tensor timesteps, Tensor? labels)
    {
        if ((labels is null) != (labelEmbedding is null))
            throw new ArgumentException(labelEmbedding is null
                ? "This U-Net is unconditional; pass no labels." : "This U-Net is class-conditional; pass a label per image.");
        using var scope = NewDisposeScope();
        var embedding = timeEmbed.call(TimestepEmbedding.Sinusoidal(timesteps, Config.ModelChannels));
        if (labelEmbedding is not null) embedding = embedding + labelEmbedding.call(labels!);
        var skips = new Stack<Tensor>();
        var h = x.to_type(Precision.ScalarType());
        foreach (var block in inputBlocks)
        {
            h = block.call(h, embedding);
            skips.Push(h);
        }
        h = middleBlock.call(h, embedding);
        foreach (var block in outputBlocks)
            h = block.call(torch.cat([h, skips.Pop()], 1), embedding);
        // The output layers run in float32, as guided-diffusion's (it converts only the torso to float16).
        return outLayers.call(h.to_type(ScalarType.Float32)).MoveToOuterDisposeScope();
    }

    public long ParameterCount() => parameters().Sum(p => p.numel());
}
