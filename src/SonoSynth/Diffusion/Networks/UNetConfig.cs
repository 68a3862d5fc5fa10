using System.Text.Json.Serialization;

namespace SonoSynth.Diffusion.Networks;

/// <summary>
/// The ADM U-Net's shape (a typed version of guided-diffusion's model_and_diffusion_defaults / create_model).
/// <see cref="AttentionResolutions"/> are feature-map sizes in pixels (guided-diffusion's "32,16,8" flag).
/// <see cref="ClassCount"/> 0 = unconditional; with <see cref="NullLabel"/> the label embedding gets one more row,
/// index ClassCount, meaning "no label" (classifier-free guidance).
/// </summary>
public sealed record UNetConfig(
    int ImageSize,
    int InChannels,
    int ModelChannels,
    int ResBlocksPerLevel,
    int[] ChannelMultipliers,
    int[] AttentionResolutions,
    double Dropout = 0,
    int ClassCount = 0,
    bool NullLabel = false,
    bool LearnSigma = false,
    int HeadCount = 4,
    int HeadChannels = 64,
    bool UseScaleShiftNorm = true,
    bool ResBlockUpDown = true,
    bool NewAttentionOrder = false,
    bool ConvResample = true,
    // Recompute each block's activations in backward (guided-diffusion's --use_checkpoint): a memory/compute trade,
    // not part of the network, so checkpoints neither record it nor refuse to resume over a change of it.
    [property: JsonIgnore] bool UseCheckpoint = false)
{
    /// <summary>guided-diffusion's 128×128 ImageNet model shape, the paper's scale: 256 channels, 2 res blocks,
    /// multipliers 1,1,2,3,4, attention at 32/16/8 px with 64 channels per head, resblock up/down, scale-shift norm.
    /// Grayscale in/out; set ClassCount for class conditioning. ~420 M parameters: needs a GPU to train.</summary>
    public static UNetConfig Adm128 { get; } = new(128, 1, 256, 2, [1, 1, 2, 3, 4], [32, 16, 8]);

    /// <summary>For 2 CPU cores: 64 px, 64 channels, 1 res block, ~7.8 M parameters; several seconds per batch-16 step
    /// on a shared 2-core machine, so an hour buys ~1000 steps. Coarse structure at a usable size, not the paper's numbers.</summary>
    public static UNetConfig CpuSmall { get; } = Adm128 with
    {
        ImageSize = 64, ModelChannels = 64, ResBlocksPerLevel = 1, ChannelMultipliers = [1, 2, 2, 2], AttentionResolutions = [16, 8],
    };

    /// <summary>For 2 CPU cores: 32 px, 32 channels, 1 res block, ~1.4 M parameters; ~0.7 s per batch-16 step with one
    /// libtorch thread (measured), so 500 steps take ~6 minutes. For demos and smoke runs, not for image quality.</summary>
    public static UNetConfig CpuTiny { get; } = Adm128 with
    {
        ImageSize = 32, ModelChannels = 32, ResBlocksPerLevel = 1, ChannelMultipliers = [1, 2, 2], AttentionResolutions = [8],
        HeadChannels = 32,
    };

    /// <summary>For the demo and CPU studies: 24 px, 64 channels (multipliers 1,1,2, one res block), attention at 6 px; ~3.9 M
    /// parameters. 64 channels keep two channels in each of GroupNorm32's groups. With 32 (cpu-tiny) every group is a single
    /// channel, the output head normalises away each image's mean, and ε̂ follows only 2% of the mean of x_t where about all of
    /// it is needed at large t: DDIM then turns the random mean of x_T into the image's brightness (docs/results-cpu.md).</summary>
    public static UNetConfig Cpu24 { get; } = Adm128 with
    {
        ImageSize = 24, ModelChannels = 64, ResBlocksPerLevel = 1, ChannelMultipliers = [1, 1, 2], AttentionResolutions = [6],
        HeadChannels = 64,
    };

    public static IReadOnlyDictionary<string, UNetConfig> Presets { get; } = new Dictionary<string, UNetConfig>(StringComparer.OrdinalIgnoreCase)
    {
        ["adm128"] = Adm128, ["cpu-small"] = CpuSmall, ["cpu-tiny"] = CpuTiny, ["cpu-24"] = Cpu24,
    };

    public static UNetConfig Preset(string name) => Presets.TryGetValue(name, out var preset) ? preset :
        throw new ArgumentException($"Unknown U-Net preset '{name}'. Choose one of: {string.Join(", ", Presets.Keys)}.");

    /// <summary>ε (and with learned σ the variance interpolation v) per input channel.</summary>
    public int OutChannels => LearnSigma ? 2 * InChannels : InChannels;

    /// <summary>Rows of the label embedding (class count, +1 for the null label).</summary>
    public int LabelEmbeddingRows => ClassCount == 0 ? 0 : ClassCount + (NullLabel ? 1 : 0);

    /// <summary>Downsampling factors at which attention is applied (image_size // resolution, as script_util does).</summary>
    public IReadOnlySet<int> AttentionDownsampleRates => AttentionResolutions.Select(r => ImageSize / r).ToHashSet();

    public int TimeEmbeddingChannels => 4 * ModelChannels;

    public void Validate()
    {
        int levels = ChannelMultipliers.Length;
        if (ImageSize % (1 << (levels - 1)) != 0)
            throw new ArgumentException($"Image size {ImageSize} is not divisible by 2^{levels - 1} (one halving per extra level).");
        if (ModelChannels % 32 != 0) throw new ArgumentException($"Model channels ({ModelChannels}) must be a multiple of 32 for GroupNorm32.");
        if (ResBlocksPerLevel < 1) throw new ArgumentException("ResBlocksPerLevel must be at least 1.");
        if (Dropout is < 0 or >= 1) throw new ArgumentException($"Dropout {Dropout} must be in [0, 1).");
    }
}
