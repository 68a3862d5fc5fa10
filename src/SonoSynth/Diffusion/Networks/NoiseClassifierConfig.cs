using System.Text.Json.Serialization;

namespace SonoSynth.Diffusion.Networks;

/// <summary>
/// The noise-aware classifier's shape (guided-diffusion's classifier_defaults / create_classifier): the encoder half of
/// the U-Net with attention pooling, classifying noisy x_t given t.
/// </summary>
public sealed record NoiseClassifierConfig(
    int ImageSize,
    int InChannels,
    int ModelChannels,
    int ResBlocksPerLevel,
    int[] ChannelMultipliers,
    int[] AttentionResolutions,
    int ClassCount,
    int HeadChannels = 64,
    bool UseScaleShiftNorm = true,
    bool ResBlockUpDown = true,
    bool NewAttentionOrder = false,
    double Dropout = 0,
    // As UNetConfig.UseCheckpoint: recompute activations in backward; not recorded in checkpoints.
    [property: JsonIgnore] bool UseCheckpoint = false)
{
    /// <summary>guided-diffusion's 128 px classifier flags: width 128, depth 2, multipliers 1,1,2,3,4, attention at 32/16/8,
    /// attention pooling, 64 channels per head, resblock up/down, scale-shift norm. Grayscale, 6 planes (paper).</summary>
    public static NoiseClassifierConfig Classifier128 { get; } = new(128, 1, 128, 2, [1, 1, 2, 3, 4], [32, 16, 8], 6);

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

    public static IReadOnlyDictionary<string, NoiseClassifierConfig> Presets { get; } =
        new Dictionary<string, NoiseClassifierConfig>(StringComparer.OrdinalIgnoreCase)
        {
            ["classifier128"] = Classifier128, ["cpu-small"] = CpuSmall, ["cpu-tiny"] = CpuTiny, ["cpu-24"] = Cpu24,
        };

    public static NoiseClassifierConfig Preset(string name) => Presets.TryGetValue(name, out var preset) ? preset :
        throw new ArgumentException($"Unknown classifier preset '{name}'. Choose one of: {string.Join(", ", Presets.Keys)}.");

    public IReadOnlySet<int> AttentionDownsampleRates => AttentionResolutions.Select(r => ImageSize / r).ToHashSet();

    public int TimeEmbeddingChannels => 4 * ModelChannels;

    /// <summary>Feature-map size entering the attention pool.</summary>
    public int FinalResolution => ImageSize >> (ChannelMultipliers.Length - 1);

    public void Validate()
    {
        if (ImageSize % (1 << (ChannelMultipliers.Length - 1)) != 0)
            throw new ArgumentException($"Image size {ImageSize} is not divisible by 2^{ChannelMultipliers.Length - 1}.");
        if (ModelChannels % 32 != 0) throw new ArgumentException($"Model channels ({ModelChannels}) must be a multiple of 32 for GroupNorm32.");
        if (ClassCount < 2) throw new ArgumentException($"A classifier needs at least 2 classes; got {ClassCount}.");
    }
}
