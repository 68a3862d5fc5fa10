using System.Text.Json.Serialization;

namespace SonoSynth.Diffusion.Networks;

/// <summary>How the classifier turns its last feature map into logits (guided-diffusion's classifier_pool).</summary>
public enum ClassifierPool
{
    /// <summary>GroupNorm–SiLU–global average–zero-initialised 1×1 conv.</summary>
    Adaptive,
    /// <summary>GroupNorm–SiLU–CLIP-style attention pooling (the released classifiers).</summary>
    Attention,
    /// <summary>Spatial means of every block's output, concatenated, then Linear(2048)–ReLU–Linear.</summary>
    Spatial,
    /// <summary>As Spatial with Linear(2048)–GroupNorm32–SiLU–Linear.</summary>
    SpatialV2,
}

/// <summary>
/// The noise-aware classifier's shape (guided-diffusion's classifier flags / create_classifier): the encoder half of the
/// U-Net, classifying noisy x_t given t. Property ↔ flag: ModelChannels = classifier_width, ResBlocksPerLevel =
/// classifier_depth, AttentionResolutions = classifier_attention_resolutions, UseScaleShiftNorm =
/// classifier_use_scale_shift_norm, ResBlockUpDown = classifier_resblock_updown, Pool = classifier_pool.
/// create_classifier fixes channel_mult by image size and 64 channels per head; both are properties here.
/// </summary>
public sealed record NoiseClassifierConfig(
    int ImageSize,
    int InChannels,
    int ModelChannels,
    int ResBlocksPerLevel,
    double[] ChannelMultipliers,
    int[] AttentionResolutions,
    int ClassCount,
    int HeadChannels = 64,
    bool UseScaleShiftNorm = true,
    bool ResBlockUpDown = true,
    bool NewAttentionOrder = false,
    double Dropout = 0,
    ClassifierPool Pool = ClassifierPool.Attention,
    // As UNetConfig.UseCheckpoint: recompute activations in backward; not recorded in checkpoints.
    [property: JsonIgnore] bool UseCheckpoint = false)
{
    /// <summary>guided-diffusion's 128 px classifier (README flags: --classifier_attention_resolutions 32,16,8
    /// --classifier_depth 2 --classifier_width 128 --classifier_pool attention --classifier_resblock_updown True
    /// --classifier_use_scale_shift_norm True; channel_mult 1,1,2,3,4; 64 channels per head). Gray; the class count
    /// comes from the data.</summary>
    public static NoiseClassifierConfig Classifier128 { get; } = new(128, 1, 128, 2, [1, 1, 2, 3, 4], [32, 16, 8], 6);

    /// <summary>guided-diffusion's 64 px classifier (README sample flags: --classifier_depth 4). Gray.</summary>
    public static NoiseClassifierConfig Classifier64 { get; } = Classifier128 with { ImageSize = 64, ResBlocksPerLevel = 4, ChannelMultipliers = [1, 2, 3, 4] };

    /// <summary>guided-diffusion's 256 px classifier (classifier defaults at 256 px). Gray.</summary>
    public static NoiseClassifierConfig Classifier256 { get; } = Classifier128 with { ImageSize = 256, ChannelMultipliers = [1, 1, 2, 2, 4, 4] };

    /// <summary>guided-diffusion's 512 px classifier (classifier defaults at 512 px). Gray.</summary>
    public static NoiseClassifierConfig Classifier512 { get; } = Classifier128 with { ImageSize = 512, ChannelMultipliers = [0.5, 1, 1, 2, 2, 4, 4] };

    /// <summary>For 2 CPU cores: 32 px, 32 channels, 1 res block; trains in a minute or two on phantom-like data.</summary>
    public static NoiseClassifierConfig CpuTiny { get; } = Classifier128 with
    {
        ImageSize = 32, ModelChannels = 32, ResBlocksPerLevel = 1, ChannelMultipliers = [1, 2, 2], AttentionResolutions = [8],
        HeadChannels = 32,
    };

    /// <summary>For 2 CPU cores at 64 px (pairs with the cpu-small U-Net).</summary>
    public static NoiseClassifierConfig CpuSmall { get; } = Classifier128 with
    {
        ImageSize = 64, ModelChannels = 32, ResBlocksPerLevel = 1, ChannelMultipliers = [1, 2, 2, 4], AttentionResolutions = [16, 8],
        HeadChannels = 32,
    };

    /// <summary>Pairs with the cpu-24 U-Net: 24 px, 64 channels (multipliers 1,1,2), attention at 6 px. It learns the phantom's
    /// planes faster than cpu-tiny, whose 32 channels leave one channel per GroupNorm group.</summary>
    public static NoiseClassifierConfig Cpu24 { get; } = Classifier128 with
    {
        ImageSize = 24, ModelChannels = 64, ResBlocksPerLevel = 1, ChannelMultipliers = [1, 1, 2], AttentionResolutions = [6],
        HeadChannels = 64,
    };

    /// <summary>As <see cref="Cpu24"/> at 32 px (attention at 8 px).</summary>
    public static NoiseClassifierConfig Cpu32 { get; } = Cpu24 with { ImageSize = 32, AttentionResolutions = [8] };

    public static IReadOnlyDictionary<string, NoiseClassifierConfig> Presets { get; } =
        new Dictionary<string, NoiseClassifierConfig>(StringComparer.OrdinalIgnoreCase)
        {
            ["classifier128"] = Classifier128, ["classifier64"] = Classifier64, ["classifier256"] = Classifier256,
            ["classifier512"] = Classifier512, ["cpu-small"] = CpuSmall, ["cpu-tiny"] = CpuTiny, ["cpu-24"] = Cpu24, ["cpu-32"] = Cpu32,
        };

    public static NoiseClassifierConfig Preset(string name) => Presets.TryGetValue(name, out var preset) ? preset :
        throw new ArgumentException($"Unknown classifier preset '{name}'. Choose one of: {string.Join(", ", Presets.Keys)}.");

    /// <summary>guided-diffusion's flag spelling of a pool ("attention", "spatial_v2").</summary>
    public static ClassifierPool ParsePool(string text) => text.Trim().ToLowerInvariant().Replace('-', '_') switch
    {
        "adaptive" => ClassifierPool.Adaptive,
        "attention" => ClassifierPool.Attention,
        "spatial" => ClassifierPool.Spatial,
        "spatial_v2" => ClassifierPool.SpatialV2,
        _ => throw new ArgumentException($"Unknown classifier pool '{text}'. Choose one of: adaptive, attention, spatial, spatial_v2."),
    };

    /// <summary>The pool as guided-diffusion's --classifier_pool spells it.</summary>
    public static string PoolFlag(ClassifierPool pool) => pool == ClassifierPool.SpatialV2 ? "spatial_v2" : pool.ToString().ToLowerInvariant();

    public IReadOnlySet<int> AttentionDownsampleRates => AttentionResolutions.Select(r => ImageSize / r).ToHashSet();

    public int TimeEmbeddingChannels => 4 * ModelChannels;

    /// <summary>Channels at a level: int(mult · width), as guided-diffusion truncates.</summary>
    public int ChannelsAt(int level) => (int)(ChannelMultipliers[level] * ModelChannels);

    /// <summary>Feature-map size entering the pool.</summary>
    public int FinalResolution => ImageSize >> (ChannelMultipliers.Length - 1);

    public void Validate()
    {
        int levels = ChannelMultipliers.Length;
        if (levels < 1) throw new ArgumentException("The classifier needs at least one channel multiplier.");
        if (ImageSize % (1 << (levels - 1)) != 0)
            throw new ArgumentException($"Image size {ImageSize} is not divisible by 2^{levels - 1}.");
        for (int level = 0; level < levels; level++)
            if (ChannelsAt(level) < 32 || ChannelsAt(level) % 32 != 0)
                throw new ArgumentException($"Classifier level {level} has {ChannelsAt(level)} channels ({ChannelMultipliers[level]} × {ModelChannels}); " +
                    "GroupNorm32 needs a positive multiple of 32. Change --classifier-width.");
        if (ResBlocksPerLevel < 1) throw new ArgumentException("--classifier-depth must be at least 1.");
        if (HeadChannels < 1) throw new ArgumentException($"Classifier head channels must be positive; got {HeadChannels}.");
        if (ClassCount < 2) throw new ArgumentException($"A classifier needs at least 2 classes; got {ClassCount}.");
        foreach (var resolution in AttentionResolutions)
            if (resolution < 1 || ImageSize % resolution != 0)
                throw new ArgumentException($"--classifier-attention-resolutions {resolution} does not divide the image size {ImageSize}.");
    }
}
