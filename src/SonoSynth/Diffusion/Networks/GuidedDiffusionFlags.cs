using System.Globalization;

namespace SonoSynth.Diffusion.Networks;

/// <summary>
/// guided-diffusion's model flags (script_util's names) as given on a command line; null = keep the preset's value.
/// <see cref="ApplyTo(UNetConfig)"/> lays them over a preset, as guided-diffusion lays its flags over
/// model_and_diffusion_defaults.
/// </summary>
public sealed record UNetFlags(
    int? ImageSize = null,
    int? NumChannels = null,
    int? NumResBlocks = null,
    int? NumHeads = null,
    int? NumHeadChannels = null,
    int[]? AttentionResolutions = null,
    double[]? ChannelMult = null,
    bool? LearnSigma = null,
    bool? ResblockUpdown = null,
    bool? UseScaleShiftNorm = null,
    bool? UseNewAttentionOrder = null,
    double? Dropout = null,
    bool? ClassCond = null,
    int? InChannels = null)
{
    /// <summary>
    /// The preset with every given flag replaced. An empty --channel-mult ("") takes guided-diffusion's default for the
    /// image size; --class-cond true keeps the preset's class count (or guided-diffusion's 1000) and false sets 0.
    /// </summary>
    public UNetConfig ApplyTo(UNetConfig preset)
    {
        var config = preset with
        {
            ImageSize = ImageSize ?? preset.ImageSize,
            ModelChannels = NumChannels ?? preset.ModelChannels,
            ResBlocksPerLevel = NumResBlocks ?? preset.ResBlocksPerLevel,
            HeadCount = NumHeads ?? preset.HeadCount,
            HeadChannels = NumHeadChannels ?? preset.HeadChannels,
            AttentionResolutions = AttentionResolutions ?? preset.AttentionResolutions,
            LearnSigma = LearnSigma ?? preset.LearnSigma,
            ResBlockUpDown = ResblockUpdown ?? preset.ResBlockUpDown,
            UseScaleShiftNorm = UseScaleShiftNorm ?? preset.UseScaleShiftNorm,
            NewAttentionOrder = UseNewAttentionOrder ?? preset.NewAttentionOrder,
            Dropout = Dropout ?? preset.Dropout,
            InChannels = InChannels ?? preset.InChannels,
            ClassCount = ClassCond switch
            {
                true => preset.ClassCount > 0 ? preset.ClassCount : UNetConfig.ImageNetClasses,
                false => 0,
                null => preset.ClassCount,
            },
        };
        if (ChannelMult is not null)
            config = config with { ChannelMultipliers = ChannelMult.Length == 0 ? UNetConfig.DefaultChannelMultipliers(config.ImageSize) : ChannelMult };
        return config;
    }

    /// <summary>"32,16,8" → [32, 16, 8]; <paramref name="flag"/> names the option in errors.</summary>
    public static int[] ParseResolutions(string text, string flag) =>
        Split(text).Select(part => int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value : throw new ArgumentException($"{flag} '{text}': '{part}' is not a positive whole number of pixels (e.g. 32,16,8).")).ToArray();

    /// <summary>"1,1,2,3,4" or "0.5,1,1,2,2,4,4" → multipliers; "" → empty (= guided-diffusion's default for the image size).</summary>
    public static double[] ParseMultipliers(string text, string flag) =>
        Split(text).Select(part => double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value : throw new ArgumentException($"{flag} '{text}': '{part}' is not a positive number (e.g. 1,1,2,3,4).")).ToArray();

    /// <summary>guided-diffusion's str2bool: yes/true/t/y/1 and no/false/f/n/0.</summary>
    public static bool ParseBool(string text, string flag) => text.Trim().ToLowerInvariant() switch
    {
        "yes" or "true" or "t" or "y" or "1" => true,
        "no" or "false" or "f" or "n" or "0" => false,
        _ => throw new ArgumentException($"{flag} '{text}' is not a boolean; use True or False."),
    };

    private static string[] Split(string text) =>
        text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>guided-diffusion's classifier flags (classifier_*); null = keep the preset's value.</summary>
public sealed record ClassifierFlags(
    int? ImageSize = null,
    int? Width = null,
    int? Depth = null,
    int[]? AttentionResolutions = null,
    bool? UseScaleShiftNorm = null,
    bool? ResblockUpdown = null,
    ClassifierPool? Pool = null,
    int? InChannels = null,
    double[]? ChannelMult = null)
{
    /// <summary>
    /// The preset with every given flag replaced. A changed image size takes create_classifier's channel_mult for it
    /// when it has one (64, 128, 256, 512); other sizes keep the preset's multipliers. <see cref="ChannelMult"/> is ours:
    /// create_classifier has no such flag, so only classifiers built outside script_util (other sizes) need it.
    /// </summary>
    public NoiseClassifierConfig ApplyTo(NoiseClassifierConfig preset)
    {
        int size = ImageSize ?? preset.ImageSize;
        var multipliers = ChannelMult is { Length: > 0 } ? ChannelMult
            : size != preset.ImageSize && size is 64 or 128 or 256 or 512 ? UNetConfig.DefaultChannelMultipliers(size)
            : preset.ChannelMultipliers;
        return preset with
        {
            ImageSize = size,
            ChannelMultipliers = multipliers,
            ModelChannels = Width ?? preset.ModelChannels,
            ResBlocksPerLevel = Depth ?? preset.ResBlocksPerLevel,
            AttentionResolutions = AttentionResolutions ?? preset.AttentionResolutions,
            UseScaleShiftNorm = UseScaleShiftNorm ?? preset.UseScaleShiftNorm,
            ResBlockUpDown = ResblockUpdown ?? preset.ResBlockUpDown,
            Pool = Pool ?? preset.Pool,
            InChannels = InChannels ?? preset.InChannels,
        };
    }
}
