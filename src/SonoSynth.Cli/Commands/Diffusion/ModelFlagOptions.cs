using System.CommandLine;
using SonoSynth.Diffusion.Networks;

namespace SonoSynth.Cli.Commands.Diffusion;

/// <summary>
/// guided-diffusion's model flags under their own names (--num-channels for num_channels …). Each one left out keeps the
/// --preset's value, so `--preset adm128` alone is guided-diffusion's 128×128 model and any flag set can be spelled out.
/// </summary>
internal sealed class UNetFlagOptions
{
    private readonly Option<int?> imageSize = new("--image-size") { Description = "image_size: side length in px." };
    private readonly Option<int?> numChannels = new("--num-channels") { Description = "num_channels: base width (adm128: 256)." };
    private readonly Option<int?> numResBlocks = new("--num-res-blocks") { Description = "num_res_blocks per level (adm128: 2)." };
    private readonly Option<int?> numHeads = new("--num-heads") { Description = "num_heads: attention heads when --num-head-channels is -1 (adm128: 4)." };
    private readonly Option<int?> numHeadChannels = new("--num-head-channels") { Description = "num_head_channels: channels per head, or -1 to use --num-heads (adm128: -1; the 64/256/512 models: 64)." };
    private readonly Option<string?> attentionResolutions = new("--attention-resolutions") { Description = "attention_resolutions: feature-map sizes in px with attention, e.g. 32,16,8." };
    private readonly Option<string?> channelMult = new("--channel-mult") { Description = "channel_mult, e.g. 1,1,2,3,4; \"\" = guided-diffusion's default for the image size." };
    private readonly Option<bool?> learnSigma = new("--learn-sigma") { Description = "learn_sigma: learned variances with Improved DDPM's hybrid loss (adm128: True)." };
    private readonly Option<bool?> resblockUpdown = new("--resblock-updown") { Description = "resblock_updown: residual blocks for up/downsampling (adm128: True)." };
    private readonly Option<bool?> useScaleShiftNorm = new("--use-scale-shift-norm") { Description = "use_scale_shift_norm: FiLM-style embedding (adm128: True)." };
    private readonly Option<bool?> useNewAttentionOrder = new("--use-new-attention-order") { Description = "use_new_attention_order: split q/k/v before heads (adm128: False)." };
    private readonly Option<double?> dropout = new("--dropout") { Description = "dropout in the residual blocks (adm128: 0; adm64: 0.1)." };
    private readonly Option<bool?> classCond = new("--class-cond") { Description = "class_cond: class-conditional U-Net (the adm presets: True)." };

    public IEnumerable<Option> All => [imageSize, numChannels, numResBlocks, numHeads, numHeadChannels, attentionResolutions, channelMult,
        learnSigma, resblockUpdown, useScaleShiftNorm, useNewAttentionOrder, dropout, classCond];

    public void AddTo(Command command)
    {
        foreach (var option in All) command.Options.Add(option);
    }

    public bool? ClassCond(ParseResult parse) => parse.GetValue(classCond);

    public UNetFlags Read(ParseResult parse) => new(
        ImageSize: parse.GetValue(imageSize), NumChannels: parse.GetValue(numChannels), NumResBlocks: parse.GetValue(numResBlocks),
        NumHeads: parse.GetValue(numHeads), NumHeadChannels: parse.GetValue(numHeadChannels),
        AttentionResolutions: parse.GetValue(attentionResolutions) is { } resolutions
            ? UNetFlags.ParseResolutions(resolutions, "--attention-resolutions") : null,
        ChannelMult: parse.GetValue(channelMult) is { } multipliers ? UNetFlags.ParseMultipliers(multipliers, "--channel-mult") : null,
        LearnSigma: parse.GetValue(learnSigma), ResblockUpdown: parse.GetValue(resblockUpdown),
        UseScaleShiftNorm: parse.GetValue(useScaleShiftNorm), UseNewAttentionOrder: parse.GetValue(useNewAttentionOrder),
        Dropout: parse.GetValue(dropout), ClassCond: parse.GetValue(classCond));

    /// <summary>The preset named by <paramref name="presetName"/> with the given flags laid over it, validated.</summary>
    public UNetConfig Config(ParseResult parse, string presetName)
    {
        var config = Read(parse).ApplyTo(UNetConfig.Preset(presetName));
        config.Validate();
        return config;
    }
}

/// <summary>guided-diffusion's classifier flags (--classifier-width for classifier_width …) over a classifier preset.</summary>
internal sealed class ClassifierFlagOptions
{
    private readonly Option<int?> imageSize;
    private readonly Option<int?> width = new("--classifier-width") { Description = "classifier_width (classifier128: 128)." };
    private readonly Option<int?> depth = new("--classifier-depth") { Description = "classifier_depth: res blocks per level (classifier128: 2; classifier64: 4)." };
    private readonly Option<string?> attentionResolutions = new("--classifier-attention-resolutions") { Description = "classifier_attention_resolutions, e.g. 32,16,8." };
    private readonly Option<bool?> useScaleShiftNorm = new("--classifier-use-scale-shift-norm") { Description = "classifier_use_scale_shift_norm (True)." };
    private readonly Option<bool?> resblockUpdown = new("--classifier-resblock-updown") { Description = "classifier_resblock_updown (True)." };
    private readonly Option<string?> channelMult = new("--classifier-channel-mult") { Description = "Not a guided-diffusion flag: create_classifier fixes " +
        "channel_mult by image size (64, 128, 256, 512); give it for a classifier of another size, e.g. 1,2." };
    private readonly Option<string?> pool = new("--classifier-pool") { Description = "classifier_pool: adaptive, attention (the released classifiers), spatial or spatial_v2." };

    /// <param name="withImageSize">Add --image-size (train-classifier); verbs that also take U-Net flags share theirs.</param>
    public ClassifierFlagOptions(bool withImageSize) =>
        imageSize = withImageSize ? new Option<int?>("--image-size") { Description = "image_size: side length in px." } : null!;

    public IEnumerable<Option> All => new Option?[] { imageSize, width, depth, attentionResolutions, useScaleShiftNorm, resblockUpdown, channelMult, pool }
        .Where(o => o is not null).Cast<Option>();

    public void AddTo(Command command)
    {
        foreach (var option in All) command.Options.Add(option);
    }

    public ClassifierFlags Read(ParseResult parse, int? sharedImageSize = null) => new(
        ImageSize: imageSize is null ? sharedImageSize : parse.GetValue(imageSize), Width: parse.GetValue(width), Depth: parse.GetValue(depth),
        AttentionResolutions: parse.GetValue(attentionResolutions) is { } resolutions
            ? UNetFlags.ParseResolutions(resolutions, "--classifier-attention-resolutions") : null,
        UseScaleShiftNorm: parse.GetValue(useScaleShiftNorm), ResblockUpdown: parse.GetValue(resblockUpdown),
        Pool: parse.GetValue(pool) is { } p ? NoiseClassifierConfig.ParsePool(p) : null,
        ChannelMult: parse.GetValue(channelMult) is { } multipliers ? UNetFlags.ParseMultipliers(multipliers, "--classifier-channel-mult") : null);

    public NoiseClassifierConfig Config(ParseResult parse, string presetName, int? sharedImageSize = null) =>
        Read(parse, sharedImageSize).ApplyTo(NoiseClassifierConfig.Preset(presetName));
}
