using System.Text.Json.Serialization;

namespace SonoSynth.Diffusion.Networks;

/// <summary>
/// The ADM U-Net's shape: a typed version of guided-diffusion's model flags (script_util's model_and_diffusion_defaults
/// and create_model). Property ↔ flag: ModelChannels = num_channels, ResBlocksPerLevel = num_res_blocks,
/// ChannelMultipliers = channel_mult (may be fractional: the 512 px model starts at 0.5), AttentionResolutions =
/// attention_resolutions (feature-map sizes in pixels), HeadCount = num_heads, HeadChannels = num_head_channels (≠ −1
/// overrides num_heads), LearnSigma = learn_sigma, ResBlockUpDown = resblock_updown, UseScaleShiftNorm =
/// use_scale_shift_norm, NewAttentionOrder = use_new_attention_order, Dropout = dropout, ClassCount &gt; 0 = class_cond.
/// <see cref="ClassCount"/> 0 = unconditional; with <see cref="NullLabel"/> the label embedding gets one more row,
/// index ClassCount, meaning "no label" (classifier-free guidance).
/// </summary>
public sealed record UNetConfig(
    int ImageSize,
    int InChannels,
    int ModelChannels,
    int ResBlocksPerLevel,
    double[] ChannelMultipliers,
    int[] AttentionResolutions,
    double Dropout = 0,
    int ClassCount = 0,
    bool NullLabel = false,
    bool LearnSigma = false,
    int HeadCount = 4,
    int HeadChannels = -1,
    bool UseScaleShiftNorm = true,
    bool ResBlockUpDown = true,
    bool NewAttentionOrder = false,
    bool ConvResample = true,
    // Recompute each block's activations in backward (guided-diffusion's --use_checkpoint): a memory/compute trade,
    // not part of the network, so checkpoints neither record it nor refuse to resume over a change of it.
    [property: JsonIgnore] bool UseCheckpoint = false)
{
    /// <summary>guided-diffusion's class count when class_cond is set (ImageNet); training replaces it by the data's classes.</summary>
    public const int ImageNetClasses = 1000;

    /// <summary>
    /// guided-diffusion's 128×128 model, the paper's scale (README: --attention_resolutions 32,16,8 --class_cond True
    /// --image_size 128 --learn_sigma True --num_channels 256 --num_heads 4 --num_res_blocks 2 --resblock_updown True
    /// --use_scale_shift_norm True; channel_mult 1,1,2,3,4 from the image size). Four heads whatever the width
    /// (num_head_channels −1). One gray channel instead of RGB (FETAL_PLANES_DB is grayscale); training sets the class
    /// count from the data. ~420 M parameters: needs a GPU to train.
    /// </summary>
    public static UNetConfig Adm128 { get; } = new(128, 1, 256, 2, [1, 1, 2, 3, 4], [32, 16, 8],
        ClassCount: ImageNetClasses, LearnSigma: true, HeadCount: 4, HeadChannels: -1);

    /// <summary>guided-diffusion's 64×64 model (README): 192 channels, 3 res blocks, 64-channel heads, new attention order,
    /// dropout 0.1; channel_mult 1,2,3,4. Gray.</summary>
    public static UNetConfig Adm64 { get; } = Adm128 with
    {
        ImageSize = 64, ModelChannels = 192, ResBlocksPerLevel = 3, ChannelMultipliers = [1, 2, 3, 4], HeadChannels = 64,
        NewAttentionOrder = true, Dropout = 0.1,
    };

    /// <summary>guided-diffusion's 256×256 class-conditional model (README): 256 channels, 64-channel heads; channel_mult 1,1,2,2,4,4. Gray.</summary>
    public static UNetConfig Adm256 { get; } = Adm128 with { ImageSize = 256, ChannelMultipliers = [1, 1, 2, 2, 4, 4], HeadChannels = 64 };

    /// <summary>guided-diffusion's unconditional 256×256 model (256x256_diffusion_uncond.pt). Gray.</summary>
    public static UNetConfig Adm256Unconditional { get; } = Adm256 with { ClassCount = 0 };

    /// <summary>guided-diffusion's 512×512 model (README): channel_mult 0.5,1,1,2,2,4,4, 64-channel heads. Gray.</summary>
    public static UNetConfig Adm512 { get; } = Adm128 with
    {
        ImageSize = 512, ChannelMultipliers = [0.5, 1, 1, 2, 2, 4, 4], HeadChannels = 64,
    };

    /// <summary>For 2 CPU cores (fixed variances, unlike guided-diffusion's models): 64 px, 64 channels, 1 res block, ~7.8 M parameters; several seconds per batch-16 step
    /// on a shared 2-core machine, so an hour buys ~1000 steps. Coarse structure at a usable size, not the paper's numbers.</summary>
    public static UNetConfig CpuSmall { get; } = Adm128 with
    {
        ImageSize = 64, ModelChannels = 64, ResBlocksPerLevel = 1, ChannelMultipliers = [1, 2, 2, 2], AttentionResolutions = [16, 8],
        HeadChannels = 64, LearnSigma = false,
    };

    /// <summary>For 2 CPU cores (fixed variances): 32 px, 32 channels, 1 res block, ~1.4 M parameters; ~0.7 s per batch-16 step with one
    /// libtorch thread (measured), so 500 steps take ~6 minutes. For demos and smoke runs, not for image quality.</summary>
    public static UNetConfig CpuTiny { get; } = Adm128 with
    {
        ImageSize = 32, ModelChannels = 32, ResBlocksPerLevel = 1, ChannelMultipliers = [1, 2, 2], AttentionResolutions = [8],
        HeadChannels = 32, LearnSigma = false,
    };

    /// <summary>For the demo and CPU studies: 24 px, 64 channels (multipliers 1,1,2, one res block), attention at 6 px; ~3.9 M
    /// parameters. 64 channels keep two channels in each of GroupNorm32's groups. With 32 (cpu-tiny) every group is a single
    /// channel, the output head normalises away each image's mean, and ε̂ follows only 2% of the mean of x_t where about all of
    /// it is needed at large t: DDIM then turns the random mean of x_T into the image's brightness (docs/results-cpu.md).</summary>
    public static UNetConfig Cpu24 { get; } = Adm128 with
    {
        ImageSize = 24, ModelChannels = 64, ResBlocksPerLevel = 1, ChannelMultipliers = [1, 1, 2], AttentionResolutions = [6],
        HeadChannels = 64, LearnSigma = false,
    };

    /// <summary>As <see cref="Cpu24"/> at 32 px (attention at 8 px); ~1.8× its cost per image.</summary>
    public static UNetConfig Cpu32 { get; } = Cpu24 with { ImageSize = 32, AttentionResolutions = [8] };

    /// <summary>Named flag sets. The adm* presets are guided-diffusion's released models (README flags), in gray.</summary>
    public static IReadOnlyDictionary<string, UNetConfig> Presets { get; } = new Dictionary<string, UNetConfig>(StringComparer.OrdinalIgnoreCase)
    {
        ["adm128"] = Adm128, ["adm64"] = Adm64, ["adm256"] = Adm256, ["adm256-uncond"] = Adm256Unconditional, ["adm512"] = Adm512,
        ["cpu-small"] = CpuSmall, ["cpu-tiny"] = CpuTiny, ["cpu-24"] = Cpu24, ["cpu-32"] = Cpu32,
    };

    public static UNetConfig Preset(string name) => Presets.TryGetValue(name, out var preset) ? preset :
        throw new ArgumentException($"Unknown U-Net preset '{name}'. Choose one of: {string.Join(", ", Presets.Keys)}.");

    /// <summary>guided-diffusion's channel_mult for an image size when the flag is empty (script_util.create_model).</summary>
    public static double[] DefaultChannelMultipliers(int imageSize) => imageSize switch
    {
        512 => [0.5, 1, 1, 2, 2, 4, 4],
        256 => [1, 1, 2, 2, 4, 4],
        128 => [1, 1, 2, 3, 4],
        64 => [1, 2, 3, 4],
        _ => throw new ArgumentException($"guided-diffusion has no default --channel-mult for {imageSize} px (only 64, 128, 256, 512); pass --channel-mult."),
    };

    /// <summary>ε (and with learned σ the variance interpolation v) per input channel.</summary>
    public int OutChannels => LearnSigma ? 2 * InChannels : InChannels;

    /// <summary>Rows of the label embedding (class count, +1 for the null label).</summary>
    public int LabelEmbeddingRows => ClassCount == 0 ? 0 : ClassCount + (NullLabel ? 1 : 0);

    /// <summary>Downsampling factors at which attention is applied (image_size // resolution, as script_util does).</summary>
    public IReadOnlySet<int> AttentionDownsampleRates => AttentionResolutions.Select(r => ImageSize / r).ToHashSet();

    public int TimeEmbeddingChannels => 4 * ModelChannels;

    /// <summary>Channels at a level: int(mult · model_channels), as guided-diffusion truncates.</summary>
    public int ChannelsAt(int level) => (int)(ChannelMultipliers[level] * ModelChannels);

    public void Validate()
    {
        int levels = ChannelMultipliers.Length;
        if (levels < 1) throw new ArgumentException("--channel-mult needs at least one multiplier.");
        if (ImageSize % (1 << (levels - 1)) != 0)
            throw new ArgumentException($"Image size {ImageSize} is not divisible by 2^{levels - 1} (one halving per extra level).");
        for (int level = 0; level < levels; level++)
            if (ChannelsAt(level) < 32 || ChannelsAt(level) % 32 != 0)
                throw new ArgumentException($"Level {level} has {ChannelsAt(level)} channels ({ChannelMultipliers[level]} × {ModelChannels}); " +
                    "GroupNorm32 needs a positive multiple of 32. Change --num-channels or --channel-mult.");
        if (ResBlocksPerLevel < 1) throw new ArgumentException("--num-res-blocks must be at least 1.");
        if (Dropout is < 0 or >= 1) throw new ArgumentException($"--dropout {Dropout} must be in [0, 1).");
        if (InChannels < 1) throw new ArgumentException("--in-channels must be at least 1.");
        if (HeadChannels == -1 && HeadCount < 1) throw new ArgumentException("--num-heads must be at least 1 when --num-head-channels is -1.");
        if (HeadChannels is 0 or < -1) throw new ArgumentException($"--num-head-channels must be positive or -1; got {HeadChannels}.");
        foreach (var resolution in AttentionResolutions)
            if (resolution < 1 || ImageSize % resolution != 0)
                throw new ArgumentException($"--attention-resolutions {resolution} does not divide the image size {ImageSize}.");
    }
}
