using System.IO.Compression;
using System.Text.Json;
using SonoSynth.Diffusion.Networks;
using SonoSynth.Interop;
using static TorchSharp.torch;

namespace SonoSynth.Tests.Diffusion;

/// <summary>
/// One fixture written by scripts/reference/guided_diffusion_fixtures.py from guided-diffusion's own UNetModel or
/// EncoderUNetModel: its flags (NAME.json), its state dict as guided-diffusion saves it (NAME.pt.gz), and inputs with
/// the network's output (NAME.npz).
/// </summary>
internal sealed class GuidedDiffusionFixture
{
    public static string Folder { get; } = Path.Combine(AppContext.BaseDirectory, "Fixtures", "GuidedDiffusion");

    public static IEnumerable<string> Names(string kind) => Directory.EnumerateFiles(Folder, kind + "-*.json")
        .Select(p => Path.GetFileNameWithoutExtension(p)).Order(StringComparer.Ordinal);

    private readonly JsonElement flags;

    public GuidedDiffusionFixture(string name)
    {
        Name = name;
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, name + ".json")));
        flags = json.RootElement.GetProperty("flags").Clone();
    }

    public string Name { get; }

    /// <summary>The fixture's state dict, un-gzipped into <paramref name="folder"/> as the .pt file guided-diffusion wrote.</summary>
    public string StateDictPath(string folder)
    {
        var path = Path.Combine(folder, Name + ".pt");
        using var gz = new GZipStream(File.OpenRead(Path.Combine(Folder, Name + ".pt.gz")), CompressionMode.Decompress);
        using var output = File.Create(path);
        gz.CopyTo(output);
        return path;
    }

    /// <summary>Arrays of the .npz as float64 tensors: x, timesteps, labels (class-conditional U-Nets), expected.</summary>
    public NpzFile Arrays() => NpzFile.Read(Path.Combine(Folder, Name + ".npz"));

    private int Int(string key) => flags.GetProperty(key).GetInt32();
    private bool Bool(string key) => flags.GetProperty(key).GetBoolean();
    private string Text(string key) => flags.GetProperty(key).GetString()!;

    /// <summary>The U-Net config from the fixture's guided-diffusion flags, through the same mapping the CLI uses.</summary>
    public UNetConfig UNetConfig()
    {
        var parsed = new UNetFlags(
            ImageSize: Int("image_size"), NumChannels: Int("num_channels"), NumResBlocks: Int("num_res_blocks"),
            NumHeads: Int("num_heads"), NumHeadChannels: Int("num_head_channels"),
            AttentionResolutions: UNetFlags.ParseResolutions(Text("attention_resolutions"), "--attention-resolutions"),
            ChannelMult: UNetFlags.ParseMultipliers(Text("channel_mult"), "--channel-mult"), LearnSigma: Bool("learn_sigma"),
            ResblockUpdown: Bool("resblock_updown"), UseScaleShiftNorm: Bool("use_scale_shift_norm"),
            UseNewAttentionOrder: Bool("use_new_attention_order"), Dropout: flags.GetProperty("dropout").GetDouble(),
            ClassCond: Bool("class_cond"), InChannels: Int("in_channels"));
        var config = parsed.ApplyTo(SonoSynth.Diffusion.Networks.UNetConfig.CpuTiny);
        return Bool("class_cond") ? config with { ClassCount = Int("num_classes") } : config;
    }

    /// <summary>The classifier config from the fixture's classifier_* flags; head channels and multipliers as create_classifier fixes them.</summary>
    public NoiseClassifierConfig ClassifierConfig()
    {
        var parsed = new ClassifierFlags(
            ImageSize: Int("image_size"), Width: Int("classifier_width"), Depth: Int("classifier_depth"),
            AttentionResolutions: UNetFlags.ParseResolutions(Text("classifier_attention_resolutions"), "--classifier-attention-resolutions"),
            UseScaleShiftNorm: Bool("classifier_use_scale_shift_norm"), ResblockUpdown: Bool("classifier_resblock_updown"),
            Pool: NoiseClassifierConfig.ParsePool(Text("classifier_pool")), InChannels: Int("in_channels"));
        var config = parsed.ApplyTo(NoiseClassifierConfig.CpuTiny) with
        {
            ClassCount = Int("num_classes"), HeadChannels = Int("num_head_channels"),
        };
        var multipliers = Text("channel_mult");
        return config with
        {
            ChannelMultipliers = multipliers == "" ? SonoSynth.Diffusion.Networks.UNetConfig.DefaultChannelMultipliers(config.ImageSize)
                : UNetFlags.ParseMultipliers(multipliers, "channel_mult"),
        };
    }
}
